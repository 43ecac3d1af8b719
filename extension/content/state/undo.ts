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
