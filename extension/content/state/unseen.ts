import type { BackgroundToContent, UnseenKind } from '../../../protocol/runtime.js';
import { shownActive, type Model } from './model.js';

/**
 * The marks of what is new since the user's last visit to the page (background/visit.ts). The tab
 * takes the worker's first list for its page and keeps it for as long as it shows the page: a worker
 * restarted mid-visit (Firefox suspends an idle one every 30 s) compares the cache as it finds it, which
 * already holds this visit, and its list would take the marks away before the user got to them. A
 * move to another page, or back out of the back/forward cache, is another visit (page-moves.ts).
 */
export function takeUnseen(model: Model, message: Extract<BackgroundToContent, { type: 'unseen' }>): void {
  if (model.unseen !== null) return;
  model.unseen = new Map(message.conversations.map((c) => [c.id, c.kind]));
}

/**
 * The mark of the conversation shown open goes: the user has opened it. Returns its id so the
 * worker is told (a tab of the page opened later does not mark it either), or null.
 */
export function openedUnseen(model: Model): string | null {
  const open = shownActive(model);
  if (open === null || model.unseen === null || !model.unseen.delete(open)) return null;
  return open;
}

/** The marks of the conversations the page lists now (one deleted since leaves the count). */
export function unseenListed(model: Model): ReadonlyMap<string, UnseenKind> {
  const listed = new Map<string, UnseenKind>();
  if (model.unseen === null) return listed;
  for (const [id, kind] of model.unseen) if (model.conversations.byId.has(id)) listed.set(id, kind);
  return listed;
}
