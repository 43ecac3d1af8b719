import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { UNDO_NOTICE_MS } from '../state/undo.js';
import { focusedIn } from './focus.js';
import { PANEL_ID } from './panel-id.js';

interface Props {
  /** The offer shown (state/undo.ts): a new serial is a new deletion, with its own time. */
  serial: number;
  /** Over the page under the top bar (the panel is closed), rather than in the panel's flow. */
  floating: boolean;
  onUndo(): void;
  onDismiss(serial: number): void;
}

/**
 * "Conversation deleted · Undo", after the user's own deletion. Unobtrusive: it takes no focus (the
 * panel keeps the keyboard user on what is left, Panel.tsx), it sits in the panel right after its
 * heading, where focus lands when a card goes, so Tab reaches Undo at once, and the screen reader is
 * told by the polite status (actions/conversation.ts). It goes after UNDO_NOTICE_MS, a time that
 * does not run while the pointer or focus is on it (WCAG 2.2.1: a reader still reaching for the
 * button is not raced); Escape or × dismisses it.
 */
export function UndoNotice({ serial, floating, onUndo, onDismiss }: Props) {
  const [held, setHeld] = useState({ focus: false, pointer: false });
  const holding = held.focus || held.pointer;
  // A layout effect: the time stops in the render that notes the focus or pointer, right after its
  // event. A plain effect stopped it after the next frame, which a slow machine paints late: a user
  // who reached Undo just in time saw the notice go under their key.
  useLayoutEffect(() => {
    if (holding) return;
    const timer = setTimeout(() => onDismiss(serial), UNDO_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [serial, holding]);
  const box = useRef<HTMLDivElement>(null);
  // The floating notice (panel closed) goes with the button that had focus, and there is no card to
  // take it (in the panel, Panel.tsx moves it to the heading, then to the restored card): focus goes
  // to the top bar's panel toggle right above the notice, not to the top of the page.
  const leaving = () => {
    const node = box.current;
    if (!floating || !node || !node.contains(focusedIn(node))) return;
    (node.getRootNode() as ParentNode).querySelector<HTMLElement>(`[aria-controls="${PANEL_ID}"]`)?.focus();
  };
  const undo = () => {
    leaving();
    onUndo();
  };
  const dismiss = () => {
    leaving();
    onDismiss(serial);
  };
  return (
    <div
      ref={box}
      class={floating ? 'undo floating' : 'undo'}
      role="group"
      aria-label="Deleted"
      data-testid="undo-notice"
      onFocusIn={() => setHeld((h) => ({ ...h, focus: true }))}
      onFocusOut={(e) => {
        if (!(e.relatedTarget instanceof Node && box.current?.contains(e.relatedTarget))) setHeld((h) => ({ ...h, focus: false }));
      }}
      onPointerEnter={() => setHeld((h) => ({ ...h, pointer: true }))}
      onPointerLeave={() => setHeld((h) => ({ ...h, pointer: false }))}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        // Not also "close the panel" (Panel.tsx): this Escape answers the notice.
        e.preventDefault();
        dismiss();
      }}
    >
      <span>Conversation deleted</span>
      <span aria-hidden="true">·</span>
      <button type="button" class="link" data-testid="undo-delete" onClick={undo}>
        Undo
      </button>
      <button type="button" class="link icon" aria-label="Dismiss" data-testid="undo-dismiss" onClick={dismiss}>
        ×
      </button>
    </div>
  );
}
