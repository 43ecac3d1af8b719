import type { Shortcut } from '../../protocol/runtime.js';
import type { ActionContext } from './actions/context.js';
import { readSelection } from './selection/watch.js';
import { showError } from './state/announce.js';
import type { Actions } from './view.js';

/** Told when the annotate shortcut finds no text selected on the page (or only in Gloss's own UI). */
export const NOTHING_SELECTED = 'Nothing to annotate: select some text on the page first, then press the shortcut again.';
/** Told when the annotate shortcut is pressed while a comment is being written: that one is not replaced. */
export const STILL_WRITING = 'You are already writing a comment: send it or cancel it first.';

/**
 * What the browser's keyboard shortcuts do in the tab (manifest.json `commands`; the worker relays
 * them, background/commands.ts). They do what the page's own controls do, through the same actions:
 *
 * - `annotate-selection`: the Annotate button's `openComposer`, on the selection as it is now, read
 *   again rather than taken from the last report (selection/watch.ts waits 100 ms after a change, and
 *   a reader who selects with shift+arrows and presses the shortcut at once is quicker). Nothing
 *   usable selected, or a comment already being written (its words would be replaced), is told in the
 *   error notice: an alert, seen and heard, as a press that cannot be done is told elsewhere
 *   (actions/conversation.ts, `heldBack`); the polite status alone is heard but never seen.
 * - `toggle-panel`: the bar's toggle, `togglePanel`, the bar expanded first when collapsed (as the
 *   popup's "Show conversations" does). Opened this way, the panel's heading takes focus (ui/Panel.tsx),
 *   since the shortcut leaves the user wherever they were in the page; closing gives focus back to
 *   where it came from, as closing by the toggle, Escape or × does.
 */
export function shortcuts(
  { doc, root, model, schedule }: Pick<ActionContext, 'doc' | 'root' | 'model' | 'schedule'>,
  host: Element,
  actions: Pick<Actions, 'openComposer' | 'togglePanel' | 'toggleTopbar'>,
): (command: Shortcut) => void {
  let focusRequests = 0;
  const tell = (text: string) => {
    showError(model, text);
    schedule();
  };
  return (command) => {
    if (command === 'annotate-selection') {
      if (model.composer !== null) return tell(STILL_WRITING);
      const selection = readSelection(doc, root(), host);
      if (selection === null) return tell(NOTHING_SELECTED);
      model.selection = selection;
      // The press worked: a notice left by an earlier one that did not is no longer true.
      if (model.error?.trimEnd() === NOTHING_SELECTED) model.error = null;
      actions.openComposer();
      return;
    }
    if (model.panelOpen) {
      actions.togglePanel();
      return;
    }
    if (model.topbarCollapsed) actions.toggleTopbar();
    model.panelFocus = ++focusRequests;
    actions.togglePanel();
  };
}
