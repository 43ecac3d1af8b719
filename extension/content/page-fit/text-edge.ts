/** The blocks that hold a page's running text: what the reader reads and annotates. */
const TEXT_BLOCKS = 'p, li, dd, dt, blockquote, pre, h1, h2, h3, h4, h5, h6, figcaption, td, th';
/** The longest shown blocks that speak for the page's main text. */
const SAMPLE = 20;
/** How many of the longest blocks are looked at to find them (hidden ones are skipped). */
const LOOK_AT = 200;

/**
 * Where the page's main text ends on the right, in viewport pixels: the furthest right edge of its
 * longest shown text blocks (the 20 with the most text: paragraphs, list items, quotes, headings,
 * table cells), null when it has none (a page of canvases, an app without paragraphs).
 *
 * The longest blocks: a menu's short items, a footer's links, a caption pinned to the side do not
 * decide where the text is. Their boxes, not their lines' ragged ends: the box is what reflows.
 * Blocks inside our own UI (`skip`) and fixed ones (the page's own header bar) do not count.
 */
export function textRight(doc: Document, skip: Node): number | null {
  const win = doc.defaultView;
  if (!win) return null;
  const blocks = [...doc.querySelectorAll<HTMLElement>(TEXT_BLOCKS)]
    .filter((el) => !skip.contains(el))
    .map((el) => ({ el, length: el.textContent?.trim().length ?? 0 }))
    .filter((b) => b.length > 0)
    .sort((a, b) => b.length - a.length)
    .slice(0, LOOK_AT);
  let right: number | null = null;
  let counted = 0;
  for (const { el } of blocks) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (win.getComputedStyle(el).position === 'fixed') continue;
    right = Math.max(right ?? -Infinity, box.right);
    if (++counted === SAMPLE) break;
  }
  return right;
}
