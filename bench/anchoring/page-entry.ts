import type { Selector } from '../../protocol/model.js';
import { anchorAll, describe } from '../../extension/content/anchoring/index.js';
import { TextIndex } from '../../extension/content/anchoring/text-model.js';
import { seeded } from '../../test/support/seeded.js';

/**
 * Bundled into the benchmark page: picks conversations on the page the way a reader would (a run
 * of words inside the article), describes them with the extension's own `describe`, and times
 * `anchorAll` with performance.now(). Deterministic (seeded) so every run anchors the same quotes.
 */

function pick(count: number, seed: number): Selector[][] {
  const root = document.body;
  const index = new TextIndex(root);
  const { next } = seeded(seed);
  const out: Selector[][] = [];
  for (let tries = 0; out.length < count && tries < count * 50; tries++) {
    const start = Math.floor(next() * (index.length - 200));
    const length = 20 + Math.floor(next() * 130);
    const quote = index.text.slice(start, start + length);
    // Start on a word, and keep quotes with real words in them (not a run of whitespace).
    if (!/^\w/.test(quote) || quote.replace(/\s+/g, '').length < length * 0.7) continue;
    const range = index.rangeOf(start, start + length);
    // A quote across a script or style element reads differently through Range.toString(); keep
    // quotes whose DOM text is the quote, so the correctness check below is exact.
    if (!range || range.toString() !== quote) continue;
    const selectors = describe(range, root);
    if (selectors.length > 0) out.push(selectors);
  }
  return out;
}

function check(list: Selector[][], ranges: (Range | null)[]): { anchored: number; exact: number } {
  let anchored = 0;
  let exact = 0;
  ranges.forEach((range, i) => {
    if (!range) return;
    anchored++;
    const quote = list[i]!.find((s) => s.type === 'TextQuoteSelector') as { exact: string } | undefined;
    if (quote && range.toString() === quote.exact) exact++;
  });
  return { anchored, exact };
}

function time(list: Selector[][], runs: number): { firstMs: number; runsMs: number[]; anchored: number; exact: number } {
  const runsMs: number[] = [];
  let result: (Range | null)[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = anchorAll(document.body, list);
    runsMs.push(performance.now() - t0);
  }
  return { firstMs: runsMs[0]!, runsMs, ...check(list, result) };
}

/** An edit at the top of the page: every stored position now points somewhere else. */
function editTop(chars: number): void {
  const p = document.createElement('p');
  p.textContent = 'Editor’s note: this article was revised. '.repeat(Math.ceil(chars / 42)).slice(0, chars);
  document.body.insertBefore(p, document.body.firstChild);
}

function pageStats() {
  return { htmlBytes: new Blob([document.documentElement.outerHTML]).size, textChars: new TextIndex(document.body).length, elements: document.getElementsByTagName('*').length };
}

Object.assign(window, { glossBench: { pick, time, editTop, pageStats } });
