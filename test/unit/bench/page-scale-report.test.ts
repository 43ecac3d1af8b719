import { describe, expect, it } from 'vitest';
import type { PageScaleResult, ScaleCase } from '../../../bench/e2e/page-scale.js';
import { pageScaleConsole, pageScaleSection } from '../../../bench/lib/page-scale-report.js';

const window = (busyMs: number, longestTaskMs: number) => ({ windowMs: 6000, busyMs, busyPct: (busyMs / 6000) * 100, longTasks: longestTaskMs > 50 ? 1 : 0, longestTaskMs });

function scaleCase(conversations: number): ScaleCase {
  return {
    conversations,
    anchored: conversations,
    loadToPaintMs: 1877.2,
    load: { longestTaskMs: 61, longTasks: 1, busyMs: 1800 },
    panelOpenMs: 684.3,
    panelCards: conversations,
    mutation: { ...window(1500, 78), appends: 10, passes: 10, busyPerPassMs: 151.93 },
    liveClosed: { toPaintMs: [40.1, 38.9, 46.5], longestTaskMs: 0, busyMs: [50, 60, 70] },
    liveOpen: { toPaintMs: [61.4, 45.9, 57.2], longestTaskMs: 0, busyMs: [80, 90, 100] },
    burst: { ...window(5500, 186), creates: 200, lastPaintAfterLastSendMs: 53.2 },
  };
}

// Section 8 of docs/benchmarks.md, rendered from the phase's JSON (bench/lib/page-scale-report.ts).
describe('page-scale section of the report', () => {
  it('renders a row per measure and page size, saying where a page at the cap starts its live changes', () => {
    const r: PageScaleResult = { browser: 'Chrome/156', page: { htmlBytes: 521_095, textChars: 133_880 }, cases: [scaleCase(1000), scaleCase(5000)] };
    const md = pageScaleSection(r).join('\n');
    expect(md).toContain('## 8. The content script on a heavily annotated page (Chromium)');
    expect(md).toContain('509 KB of HTML, 133,880 characters');
    expect(md).toContain('| 1,000 | load → all highlights painted | 1877.2 ms | longest task 61.0 ms, 1 over 50 ms; 1000 anchored |');
    expect(md).toContain('| | panel opened → its cards in the next frame | 684.3 ms | 5,000 cards |');
    expect(md).toContain('each re-anchoring pass | 151.9 ms of main thread per pass | 10 passes; busy 25.0 % of 6.0 s; longest task 78.0 ms |');
    expect(md).toContain('| | a peer creates one conversation, panel closed (from 4,794) | 40.1, 38.9, 46.5 ms to paint | main thread 50.0, 60.0, 70.0 ms per change (0.7 s after it included); no task over 50 ms |');
    expect(md).not.toContain('panel closed (from 794)');
    expect(md).toContain('| | a peer creates 40 a second for 5.0 s, panel open | last paint 53.2 ms after the last create | busy 91.7 % of 6.0 s; longest task 186.0 ms, 1 over 50 ms |');
    expect(pageScaleConsole(r).map(([what]) => what)).toEqual(['scale N=1000: load → paint', 'scale N=5000: load → paint']);
  });

  it('shows the panel opening\'s longest task and the search cleared, in records that have them (since change 35)', () => {
    const c: ScaleCase = { ...scaleCase(5000), panelCards: 100, panelOpenLongestTaskMs: 151, searchClear: { ms: 228.14, cards: 100, longestTaskMs: 0 } };
    const md = pageScaleSection({ browser: 'Chrome/156', page: { htmlBytes: 521_095, textChars: 133_880 }, cases: [c] }).join('\n');
    expect(md).toContain('| | panel opened → its cards in the next frame | 684.3 ms | 100 cards; longest task 151.0 ms |');
    expect(md).toContain('| | a search matching nothing cleared (its ×) → the cards in the next frame | 228.1 ms | 100 cards; no task over 50 ms |');
  });

  it('says when the phase failed or did not run', () => {
    expect(pageScaleSection({ error: 'no Chromium' }).join('\n')).toContain('Failed: no Chromium');
    expect(pageScaleSection(undefined).join('\n')).toContain('Not measured in this run.');
  });
});
