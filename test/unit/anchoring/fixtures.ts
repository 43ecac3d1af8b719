import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Selector } from '../../../protocol/model.js';

/** Test helpers: fixture pages parsed into real jsdom documents, and Hypothesis' stored annotations. */

// Paths, not URL objects: under the jsdom environment the global URL is jsdom's, which node:fs refuses.
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/hypothesis-baselines');

export function loadPage(name: string): Document {
  return new DOMParser().parseFromString(readFileSync(resolve(FIXTURES, name), 'utf8'), 'text/html');
}

export function page(bodyHtml: string): Document {
  return new DOMParser().parseFromString(`<!doctype html><html><body>${bodyHtml}</body></html>`, 'text/html');
}

export interface HypothesisRangeSelector {
  type: 'RangeSelector';
  startContainer: string;
  endContainer: string;
  startOffset: number;
  endOffset: number;
}

export interface BaselineAnnotation {
  id: string;
  /** Selectors as Gloss stores them (quote and position). */
  selectors: Selector[];
  /** Hypothesis' own DOM location of the same annotation, XPath relative to body. */
  range: HypothesisRangeSelector;
}

export function loadAnnotations(name: string): BaselineAnnotation[] {
  const json = JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8')) as {
    rows: { id: string; target: { selector: ({ type: string } & Record<string, unknown>)[] }[] }[];
  };
  return json.rows.map((row) => {
    const all = row.target[0]?.selector ?? [];
    const selectors = all.filter((s) => s.type === 'TextQuoteSelector' || s.type === 'TextPositionSelector') as unknown as Selector[];
    const range = all.find((s) => s.type === 'RangeSelector') as unknown as HypothesisRangeSelector;
    return { id: row.id, selectors, range };
  });
}

/** Resolves Hypothesis' simple XPaths ("/div[3]/h1[1]"), which count element children by tag name. */
export function resolveXPath(root: Element, path: string): Element {
  let node: Element = root;
  for (const step of path.split('/').filter(Boolean)) {
    const match = /^([a-z0-9]+)\[(\d+)\]$/i.exec(step);
    if (!match) throw new Error(`unsupported XPath step ${step}`);
    const [, tag, nth] = match;
    const same = [...node.children].filter((c) => c.localName === tag?.toLowerCase());
    const next = same[Number(nth) - 1];
    if (!next) throw new Error(`XPath ${path} does not resolve at ${step}`);
    node = next;
  }
  return node;
}

/** A range over the `occurrence`-th match of `needle` inside one text node, found without the module under test. */
export function rangeOfText(root: Element, needle: string, occurrence = 0): Range {
  const walker = root.ownerDocument.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let seen = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const data = (node as Text).data;
    for (let i = data.indexOf(needle); i >= 0; i = data.indexOf(needle, i + 1)) {
      if (seen++ === occurrence) {
        const range = root.ownerDocument.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + needle.length);
        return range;
      }
    }
  }
  throw new Error(`"${needle}" #${occurrence} not found in one text node`);
}

export function quoteOf(selectors: Selector[]) {
  const q = selectors.find((s) => s.type === 'TextQuoteSelector');
  if (!q) throw new Error('no TextQuoteSelector');
  return q;
}

export function positionOf(selectors: Selector[]) {
  const p = selectors.find((s) => s.type === 'TextPositionSelector');
  if (!p) throw new Error('no TextPositionSelector');
  return p;
}

export const squash = (s: string) => s.replace(/\s+/g, '');
