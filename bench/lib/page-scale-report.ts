import type { PageScaleResult, ScaleCase } from '../e2e/page-scale.js';
import { fixed as f } from './stats.js';

const n = (x: number) => x.toLocaleString('en-US');
const list = (xs: number[]) => xs.map((x) => f(x)).join(', ');
/** The long-task observer sees only tasks over 50 ms: 0 means none. */
const longest = (ms: number) => (ms > 0 ? `longest task ${f(ms)} ms` : 'no task over 50 ms');
const longTasks = (ms: number, count: number) => (ms > 0 ? `longest task ${f(ms)} ms, ${count} over 50 ms` : 'no task over 50 ms');

/** One row per page size: the figures of bench/e2e/page-scale.ts, as the report's section 8 shows them. */
function rows(c: ScaleCase): string[] {
  const room = c.burst.creates + c.liveClosed.toPaintMs.length + c.liveOpen.toPaintMs.length;
  const from = c.conversations + room > 5000 ? ` (from ${n(5000 - room)})` : '';
  return [
    `| ${n(c.conversations)} | load → all highlights painted | ${f(c.loadToPaintMs)} ms | ${longTasks(c.load.longestTaskMs, c.load.longTasks)}; ${c.anchored} anchored |`,
    `| | panel opened → its cards in the next frame | ${f(c.panelOpenMs)} ms | ${n(c.panelCards)} cards${c.panelOpenLongestTaskMs === undefined ? '' : `; ${longest(c.panelOpenLongestTaskMs)}`} |`,
    // Measured since change 35; a record before it has no such row.
    ...(c.searchClear ? [`| | a search matching nothing cleared (its ×) → the cards in the next frame | ${f(c.searchClear.ms)} ms | ${n(c.searchClear.cards)} cards; ${longest(c.searchClear.longestTaskMs)} |`] : []),
    `| | page appends a paragraph every 500 ms (${c.mutation.appends}): each re-anchoring pass | ${f(c.mutation.busyPerPassMs)} ms of main thread per pass | ${c.mutation.passes} passes; busy ${f(c.mutation.busyPct, 1)} % of ${f(c.mutation.windowMs / 1000, 1)} s; ${longest(c.mutation.longestTaskMs)} |`,
    `| | a peer creates one conversation, panel closed${from} | ${list(c.liveClosed.toPaintMs)} ms to paint | main thread ${list(c.liveClosed.busyMs)} ms per change (0.7 s after it included); ${longest(c.liveClosed.longestTaskMs)} |`,
    `| | the same, panel open | ${list(c.liveOpen.toPaintMs)} ms to paint | main thread ${list(c.liveOpen.busyMs)} ms per change; ${longest(c.liveOpen.longestTaskMs)} |`,
    `| | a peer creates 40 a second for ${f(c.burst.creates / 40)} s, panel open | last paint ${f(c.burst.lastPaintAfterLastSendMs)} ms after the last create | busy ${f(c.burst.busyPct, 1)} % of ${f(c.burst.windowMs / 1000, 1)} s; ${longTasks(c.burst.longestTaskMs, c.burst.longTasks)} |`,
  ];
}

/** Section 8 of docs/benchmarks.md: the content script on a heavily annotated page. */
export function pageScaleSection(r: PageScaleResult | { error: string } | undefined): string[] {
  const head = ['## 8. The content script on a heavily annotated page (Chromium)', ''];
  if (!r) return [...head, 'Not measured in this run.'];
  if ('error' in r) return [...head, `Failed: ${r.error}`];
  return [
    ...head,
    `${r.browser}, headless, with the built extension (dist/chrome) against the real server (SQLite on disk, the benchmark's raised rate limits), on the page of section 7 (${Math.round(r.page.htmlBytes / 1024)} KB of HTML, ${n(r.page.textChars)} characters of text) served over HTTP. A socket.io-client user seeds it with N conversations (20–150 character quotes at distinct places, a fixed seed) before the reader's tab opens it; N = 5,000 is the server's cap per page (protocol/limits.ts), so there the peer first deletes as many as the live changes and the burst then add (untimed). Read from the page's renderer main thread, where the content script runs: \`PerformanceObserver('longtask')\` (tasks over 50 ms, the content script's included), the main thread's busy time from CDP \`Performance.getMetrics\` (TaskDuration: every task, style, layout and paint included), and the writes of \`data-gloss-highlights\` (set by the pass that anchors, paints and renders). “to paint” runs from the peer's create leaving the bench process to that write in the page (both on the machine's clock: server, worker and content script included). bench/e2e/page-scale.ts; \`npx tsx bench/e2e/page-scale.ts\` runs it alone.`,
    '',
    '| N | what | measured | main thread |',
    '| ---: | --- | ---: | --- |',
    ...r.cases.flatMap(rows),
  ];
}

/** Lines for the console table of bench/run.ts. */
export function pageScaleConsole(r: PageScaleResult | { error: string } | undefined): [string, string, string][] {
  if (!r) return [['content script at scale', 'not measured', '']];
  if ('error' in r) return [['content script at scale', `failed: ${r.error}`, '']];
  return r.cases.map((c) => [`scale N=${c.conversations}: load → paint`, `${f(c.loadToPaintMs)} ms`, `burst busy ${f(c.burst.busyPct, 1)} %, ${longest(c.burst.longestTaskMs)}`]);
}
