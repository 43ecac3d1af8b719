import { isShadowRoot } from '../anchoring/composed.js';
import { announce } from '../state/announce.js';
import type { Actions } from '../view.js';
import type { ActionContext } from './context.js';

/** The panel, the top bar and the error notice: what the UI opens, closes and dismisses. */
export function panelActions({ win, model, anchors, schedule, hoverChanged }: ActionContext): Pick<Actions, 'togglePanel' | 'panelFocused' | 'toggleTopbar' | 'focusConversation' | 'hoverCard' | 'closeConversation' | 'tookRefusedEdit' | 'dismissError'> {
  return {
    togglePanel() {
      model.panelOpen = !model.panelOpen;
      schedule();
    },
    panelFocused(serial) {
      // Nothing on screen changes: no render.
      if (model.panelFocus === serial) model.panelFocus = null;
    },
    toggleTopbar() {
      model.topbarCollapsed = !model.topbarCollapsed;
      // Collapsing closes the panel too: the panel hangs under the bar, and left open under the small
      // "Gloss" button it sat below an empty gap, looking broken. Expanding does not reopen it.
      // (docs/architecture.md, "The top bar collapsed")
      if (model.topbarCollapsed) model.panelOpen = false;
      schedule();
    },
    focusConversation(id) {
      model.activeId = id;
      const range = anchors.get(id);
      // A glide through the page is what a reader who asked for reduced motion does not want: a jump.
      const still = win.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
      if (range) showInPage(win, range, still ? 'instant' : 'smooth');
      schedule();
    },
    hoverCard(id) {
      // Nothing else on screen changes: no render pass (at 5,000 conversations it added about 0.2 s per
      // card entered), only the `gloss-hover` highlight painted again (docs/architecture.md, "Linked hover").
      if (model.hoveredCard === id) return;
      model.hoveredCard = id;
      hoverChanged();
    },
    closeConversation(id, listed) {
      if (model.activeId !== id) return;
      // Its highlight goes back to the others' yellow in the same render (state/model.ts, shownActive),
      // and the filter no longer keeps its card: a screen reader, which sees neither, is told both.
      model.activeId = null;
      announce(model, listed ? 'Conversation closed' : 'Conversation closed. It does not match the filter, so it is no longer listed');
      schedule();
    },
    tookRefusedEdit(commentId) {
      model.sentEdits.taken(commentId);
      schedule();
    },
    dismissError() {
      model.error = null;
      schedule();
    },
  };
}

/**
 * Scrolls the quoted words to the middle of the window. Their element is what is scrolled into view,
 * so that scrolling boxes of the page around it move too; but an element taller than the window
 * (a long paragraph, a `pre`, a table cell), centred, can leave the words above or below the window:
 * then the window is scrolled by where the words are instead (a scrolling box around them is left
 * as it is in that case; rare, and the box's own scroll is the page's).
 */
function showInPage(win: Window, range: Range, behavior: ScrollBehavior): void {
  const el = elementAt(range.startContainer);
  if (!el) return;
  const words = el.getBoundingClientRect().height <= win.innerHeight ? null : range.getBoundingClientRect();
  if (words === null || (words.width === 0 && words.height === 0)) {
    el.scrollIntoView({ block: 'center', behavior });
    return;
  }
  // Words longer than the window start a quarter down it: their beginning is what the reader looks for.
  const by = words.height > win.innerHeight ? words.top - win.innerHeight / 4 : words.top + words.height / 2 - win.innerHeight / 2;
  win.scrollBy({ top: by, behavior });
}

/** The element to scroll to for a range starting in `node`: at the top of a shadow tree, its host. */
function elementAt(node: Node): Element | null {
  if (node.nodeType === 1) return node as Element;
  const parent = node.parentElement ?? node.parentNode ?? node;
  return isShadowRoot(parent) ? parent.host : (parent as Element);
}
