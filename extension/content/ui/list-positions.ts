/**
 * The panel's list tells assistive technology its whole size: each rendered entry (`role="listitem"`,
 * `data-entry` = its conversation) gets `aria-posinset`, its place among the cards the filter shows
 * (1-based, page order), and `aria-setsize`, how many that is, though only the first hundred or so are
 * rendered (ui/panel-window.ts). Without them a screen reader counts the rendered entries and says
 * "list, 100 items" on a page of 5,000, against the count beside the search.
 *
 * Set on the DOM after each render, not as props: an insert near the top moves the place of every
 * card after it, and as props that would render every card again (a card renders only when its
 * props change, ConversationView.tsx sameCard). Here it is one attribute write per entry whose place
 * changed, and a read of the others. An entry the filter leaves out is hidden, out of the
 * accessibility tree: its numbers are left as they were.
 */
export function numberEntries(list: HTMLElement, shown: readonly string[], before: Numbered | null): Numbered {
  const now = { shown, entries: list.children.length };
  // Most renders (a reply, a resolve, a peer's edit) change neither which cards the filter shows nor
  // which are mounted (a mounted entry stays mounted): nothing to read. One DOM read per entry, at
  // 5,000 rendered, was 2-10 ms a render in Chromium; this comparison is a string compare per id.
  if (before !== null && before.entries === now.entries && sameIds(before.shown, shown)) return before;
  const at = new Map<string, number>();
  shown.forEach((id, i) => at.set(id, i + 1));
  const size = String(shown.length);
  for (const entry of list.children) {
    const id = (entry as HTMLElement).dataset.entry;
    const place = id === undefined ? undefined : at.get(id);
    if (place === undefined) continue;
    setIfChanged(entry, 'aria-posinset', String(place));
    setIfChanged(entry, 'aria-setsize', size);
  }
  return now;
}

/** What the list was numbered for: the ids the filter showed, and how many entries were mounted. */
export interface Numbered {
  shown: readonly string[];
  entries: number;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((id, i) => id === b[i]));
}

function setIfChanged(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
