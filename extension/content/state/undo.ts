import { announce } from './announce.js';
import type { Model } from './model.js';

/**
 * How long the notice offering to undo the user's own deletion stays, in ms, while neither the
 * pointer nor focus is on it (ui/UndoNotice.tsx). Long enough to notice a wrong click and act; the
 * server takes an undo for 10 minutes (RESTORE_WINDOW_MS), so a slow hand is not refused.
 */
export const UNDO_NOTICE_MS = 10_000;

/** The deletion offered for undo: the conversation, and a serial telling one offer from the next. */
export interface UndoOffer {
  id: string;
  serial: number;
}

let serials = 0;

/** The user deleted conversation `id` here: the last deletion is offered for undo (one at a time). */
export function offerUndo(model: Model, id: string): void {
  model.undo = { id, serial: ++serials };
}

/** The offer of `serial` is over (timed out, dismissed); a newer offer stays. */
export function withdrawUndo(model: Model, serial: number): void {
  if (model.undo?.serial === serial) model.undo = null;
}

/**
 * The undo the user pressed last, until its conversation is back on screen and its card has taken
 * focus, or it was refused. `shown`: the conversation is listed again (the worker shows it at once
 * from its copy, background/pending.ts), so the panel can move focus to its card.
 */
export interface Restoring {
  id: string;
  serial: number;
  shown: boolean;
}

/** The user pressed Undo on `offer`: its conversation is awaited. */
export function awaitRestore(model: Model, offer: UndoOffer): void {
  model.restoring = { id: offer.id, serial: offer.serial, shown: false };
}

/**
 * After each message from the worker: the conversation being restored is listed again. Told then,
 * not when Undo is pressed (a refusal may come instead). With the panel open it is opened, as if its
 * highlight had been clicked: its card is then shown whatever the panel's filter and however far down
 * the page it is (ui/Panel.tsx keeps the open one), focus goes to it, and the page marks it as the
 * open one. With the panel closed (the notice under the bar) it is not: the user is not taken to it
 * (focus stays on the bar, and the panel opened later does not take it to the card, ui/App.tsx), so
 * the panel reopens where the user left it, at the conversation they had open, if any. (Its highlight
 * would not turn orange either way while the panel is closed: model.ts, shownActive.)
 */
export function settleRestoring(model: Model): void {
  const r = model.restoring;
  if (r === null || r.shown || !model.conversations.byId.has(r.id)) return;
  r.shown = true;
  if (model.panelOpen) model.activeId = r.id;
  announce(model, 'Conversation restored');
}

/** The restore of conversation `id` was refused: nothing is awaited (the refusal is told as an alert, state/refusal.ts). */
export function restoreRefused(model: Model, id: string): void {
  if (model.restoring?.id === id) model.restoring = null;
}

/** The panel moved focus to the restored card of `serial` (or found the user elsewhere): nothing more to do for it. */
export function restoreFocused(model: Model, serial: number): void {
  if (model.restoring?.serial === serial) model.restoring = null;
}
