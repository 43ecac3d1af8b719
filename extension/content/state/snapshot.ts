import type { BackgroundToContent } from '../../../protocol/runtime.js';
import { writingIn } from './drafts.js';
import type { Model } from './model.js';
import { applyMessage } from './store.js';

/**
 * A snapshot is the page as the worker knows it when the tab's port opens, not news that what it
 * leaves out was deleted. A worker that has just started (the browser stops an idle one at any
 * moment) sends it from its cache, which may not have the page yet (never written, cleared, or
 * dropped by a switch of account), before it has asked the server; its resync then brings the rest
 * as upserts (in `changes` messages) and, when the page is in step with the server, the `live` state (the worker says
 * `live` for a page only then: background/page-connection.ts). Until then a deletion is known only
 * by a `remove`, the worker's word that a conversation it showed has gone.
 *
 * So a snapshot that comes while the page is not `live` does not take away a conversation the user
 * is writing in: it stays as it was, and open to typing (a send is held back meanwhile, as the
 * worker would not know what it is about: actions/conversation.ts), until the worker settles it: an
 * upsert (still there), a remove, or the page in step without it (the server's list has it no more):
 * deleted then, and kept for the words written in it (deletions.ts). A snapshot while `live` is the
 * server's list: what it leaves out was deleted.
 *
 * Decision: only what the user is writing in is held back. The rest goes as the snapshot says and
 * comes back with the resync: a switch of account takes the previous account's conversations off the
 * tab by such a snapshot, and they must not stay on screen for as long as the new account's page is
 * not live, which may be never (a refused token). Words being typed are the only reason to wait.
 */
export function takeSnapshot(model: Model, message: Extract<BackgroundToContent, { type: 'snapshot' }>): void {
  const before = model.conversations;
  const next = applyMessage(before, message);
  const held = model.connection === 'live' ? [] : [...before.byId.values()].filter((c) => !next.byId.has(c.id) && writingIn(c));
  model.unconfirmed = new Set(held.map((c) => c.id));
  if (held.length === 0) {
    model.conversations = next;
    return;
  }
  const byId = new Map(next.byId);
  for (const c of held) byId.set(c.id, c);
  model.conversations = { byId, localOnly: next.localOnly };
}

/** The page is in step with the server: what it still has not listed was deleted meanwhile. */
export function pageInStep(model: Model): void {
  if (model.unconfirmed.size === 0) return;
  const byId = new Map(model.conversations.byId);
  for (const id of model.unconfirmed) byId.delete(id);
  model.unconfirmed = new Set();
  model.conversations = { byId, localOnly: model.conversations.localOnly };
}
