import type { User } from '../../../protocol/model.js';
import type { LocalConversation } from '../../../protocol/runtime.js';
import { shownName } from './names.js';
import { isOwn } from './owner.js';
import { quoteOf } from './quote.js';

/**
 * Finding a conversation in the panel (ui/PanelSearch.tsx): the words typed, and which of the
 * conversations to show (all, open, resolved, the user's own). A conversation matches when every
 * word is found somewhere in its quote, its comments or its authors' names, whatever the case, the
 * accents, the compatibility forms (ﬁ, full-width letters) and the spacing.
 */
export type FilterMode = 'all' | 'open' | 'resolved' | 'mine';
export const FILTER_MODES: readonly FilterMode[] = ['all', 'open', 'resolved', 'mine'];

export interface PanelFilter {
  readonly query: string;
  readonly mode: FilterMode;
}

export const NO_FILTER: PanelFilter = { query: '', mode: 'all' };

/** Longer than any phrase anyone searches for: a pasted novel is cut here, not matched 5,000 times over. */
export const MAX_QUERY = 200;

/** Combining marks (accents), and format characters: soft hyphens, zero-width spaces and joiners, bidi marks, invisible in the text read. */
const INVISIBLE = /[\p{M}\p{Cf}]+/gu;

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * `text` as search compares it: compatibility-decomposed (NFKD: é → e + ◌́, ﬁ → fi, ｆ → f), without
 * its combining marks and invisible characters, case-folded by the reader's locale (upper then
 * lower, so ß matches ss and ǅ matches dž), and decomposed and stripped once more for what the case
 * change composed (a Turkish İ lowercases to i + a combining dot). Words typed go through the same
 * function, so the two always agree.
 */
export function foldForSearch(text: string): string {
  // Most comments are plain ASCII: nothing to decompose or strip, and upper-then-lower is lower, in every locale.
  if (!NON_ASCII.test(text)) return text.toLocaleLowerCase();
  const bare = text.normalize('NFKD').replace(INVISIBLE, '');
  return bare.toLocaleUpperCase().toLocaleLowerCase().normalize('NFKD').replace(INVISIBLE, '');
}

/** The words of a query, folded, each to be found; none when it is blank. */
export function queryWords(query: string): string[] {
  const words = foldForSearch(query.slice(0, MAX_QUERY)).split(/\s+/u).filter((w) => w.length > 0);
  return [...new Set(words)];
}

export function isFiltering(filter: PanelFilter): boolean {
  return filter.mode !== 'all' || queryWords(filter.query).length > 0;
}

/**
 * Folded once per conversation object: the worker sends a new object for every change (an upsert
 * replaces it, state/store.ts), so a changed conversation is folded again and an unchanged one never
 * is, however many keystrokes and renders come. Weak, so what leaves the page leaves the cache.
 */
const folded = new WeakMap<LocalConversation, string>();

/** The text a conversation is searched in: its quote, every comment and every author's shown name, one per line (a word never spans two). */
export function searchTextOf(c: LocalConversation): string {
  let text = folded.get(c);
  if (text === undefined) {
    const parts = [quoteOf(c.target.selector), shownName(c.author)];
    for (const comment of c.comments) parts.push(shownName(comment.author), comment.text);
    // Part by part, so the plain ones take foldForSearch's quick way.
    text = parts.map(foldForSearch).join('\n');
    folded.set(c, text);
  }
  return text;
}

/** Started or replied to by the user; with no session yet, nothing is theirs. */
export function isMine(c: LocalConversation, self: User | null): boolean {
  return isOwn(c.author, self) || c.comments.some((comment) => isOwn(comment.author, self));
}

function inMode(c: LocalConversation, mode: FilterMode, self: User | null): boolean {
  switch (mode) {
    case 'all':
      return true;
    case 'open':
      return !c.resolved;
    case 'resolved':
      return c.resolved;
    case 'mine':
      return isMine(c, self);
  }
}

/** `words` from queryWords. */
export function matches(c: LocalConversation, words: readonly string[], mode: FilterMode, self: User | null): boolean {
  if (!inMode(c, mode, self)) return false;
  if (words.length === 0) return true;
  const text = searchTextOf(c);
  return words.every((w) => text.includes(w));
}

/** The ids of `list` that `filter` keeps; null when it keeps everything (nothing is being filtered). */
export function matchingIds(list: Iterable<LocalConversation>, filter: PanelFilter, self: User | null): Set<string> | null {
  const words = queryWords(filter.query);
  if (filter.mode === 'all' && words.length === 0) return null;
  const out = new Set<string>();
  for (const c of list) if (matches(c, words, filter.mode, self)) out.add(c.id);
  return out;
}

export interface Found {
  /** The ids the filter keeps; null when nothing is filtered. */
  matched: ReadonlySet<string> | null;
  /** How many of `total` it keeps (all when nothing is filtered). */
  shown: number;
  /** The conversations of the page, as the top bar counts them (those deleted while being written in left out). */
  total: number;
}

/** What the panel's filter keeps of the page's conversations. */
export function findIn(lists: readonly (readonly LocalConversation[])[], deleted: ReadonlySet<string>, filter: PanelFilter, self: User | null): Found {
  let total = 0;
  for (const list of lists) total += list.length;
  total -= deleted.size;
  if (!isFiltering(filter)) return { matched: null, shown: total, total };
  const matched = matchingIds(lists.flat(), filter, self) ?? new Set<string>();
  let shown = matched.size;
  for (const id of deleted) if (matched.has(id)) shown--;
  return { matched, shown, total };
}
