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
export function numberEntries(list: HTMLElement, shown: readonly string[]): void {
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
}

function setIfChanged(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
