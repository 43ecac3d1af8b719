import type { Actions } from '../view.js';
import type { ActionContext } from './context.js';

/** The panel, the top bar and the error notice: what the UI opens, closes and dismisses. */
export function panelActions({ win, model, anchors, schedule }: ActionContext): Pick<Actions, 'togglePanel' | 'toggleTopbar' | 'focusConversation' | 'tookRefusedEdit' | 'dismissError'> {
  return {
    togglePanel() {
      model.panelOpen = !model.panelOpen;
      schedule();
    },
    toggleTopbar() {
      model.topbarCollapsed = !model.topbarCollapsed;
      schedule();
    },
    focusConversation(id) {
      model.activeId = id;
      const range = anchors.get(id);
      const el = range ? (range.startContainer instanceof Element ? range.startContainer : range.startContainer.parentElement) : null;
      // A glide through the page is what a reader who asked for reduced motion does not want: a jump.
      const still = win.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
      el?.scrollIntoView({ block: 'center', behavior: still ? 'instant' : 'smooth' });
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
