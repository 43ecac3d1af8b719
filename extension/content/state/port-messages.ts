import type { LocalConversation } from '../../../protocol/runtime.js';
import type { ContentMessage } from '../port/connection.js';
import { showError, tellPosted } from './announce.js';
import { settleDeletions } from './deletions.js';
import type { Model } from './model.js';
import type { OwnPosts } from './own-posts.js';
import { refusalText, restoreRefusalText } from './refusal.js';
import { pageInStep, takeSnapshot } from './snapshot.js';
import { applyMessage } from './store.js';
import { restoreRefused, settleRestoring } from './undo.js';
import { takeUnseen } from './unseen.js';

/** An edit refused because the comment changed meanwhile: the user's words are not lost (SentEdits). */
const KEPT_EDIT = 'Not saved: someone changed this comment meanwhile. Your text is back in its edit field, below their version.';
/** Said after why a conversation of yours was refused, when its words went back to the composer. */
const KEPT_DRAFT = 'Your comment is back in its box.';

/** A message of the background about the model: all but a shortcut pressed (shortcuts.ts acts on those). */
export type ModelMessage = Exclude<ContentMessage, { type: 'command' }>;

/** What a message from the background changes in the model (the caller renders after it). */
export function applyPortMessage(model: Model, ownPosts: OwnPosts, message: ModelMessage): void {
  const before = model.conversations;
  switch (message.type) {
    case 'connection':
      model.connection = message.state;
      model.reason = message.reason;
      model.self = message.self;
      model.role = message.role;
      if (message.state === 'live') pageInStep(model);
      break;
    case 'presence':
      model.presence = { viewers: message.viewers, users: message.users };
      break;
    case 'shortcut-keys':
      model.shortcutKeys = message.keys;
      break;
    case 'unseen':
      takeUnseen(model, message);
      break;
    case 'open-panel':
      model.panelOpen = true;
      model.topbarCollapsed = false;
      break;
    case 'op-failed': {
      const kept = model.sentEdits.failed(message.broadcastId, message.error.code);
      const given = !kept && giveBackCreate(model, message.broadcastId, message.id);
      const restore = model.sentRestores.delete(message.broadcastId);
      const why = restore ? restoreRefusalText(message.error) : refusalText(message.error);
      // Heard: the notice is an alert, and a second refusal like the first changes it too.
      showError(model, kept ? KEPT_EDIT : given ? `${why} ${KEPT_DRAFT}` : why);
      // A deletion refused is nothing to undo; an undo refused brings nothing back to focus.
      if (!restore && model.undo?.id === message.id) model.undo = null;
      if (restore) restoreRefused(model, message.id);
      ownPosts.failed(message.broadcastId);
      // A delete refused leaves the conversation; whoever deletes it later is not this user here.
      model.deletedHere.delete(message.id);
      model.conversations = applyMessage(model.conversations, message);
      break;
    }
    case 'remove':
      forgetRemoved(model, ownPosts, message.id);
      model.conversations = applyMessage(model.conversations, message);
      break;
    case 'upsert':
      model.conversations = applyMessage(model.conversations, message);
      tellPosted(model, settleUpserted(model, ownPosts, message.conversation));
      break;
    case 'changes':
      // What an upsert and a remove do, for each (background/push-chunks.ts), the posts they confirm told at once.
      for (const id of message.removes) forgetRemoved(model, ownPosts, id);
      model.conversations = applyMessage(model.conversations, message);
      tellPosted(model, message.upserts.flatMap((c) => settleUpserted(model, ownPosts, c)));
      break;
    case 'snapshot':
      takeSnapshot(model, message);
      // Each one listed settles as an upsert of it would (none is among the held `unconfirmed`: those are
      // the ones it leaves out). A create of this tab it leaves out keeps its words: see keptCreates.
      tellPosted(model, message.conversations.flatMap((c) => settleUpserted(model, ownPosts, c)));
      break;
    default:
      model.conversations = applyMessage(model.conversations, message);
  }
  settleDeletions(model, before);
  settleRestoring(model);
}

/**
 * What the tab keeps about a conversation the background sent (an upsert, one of a `changes` message,
 * one of a snapshot) that it settles; the user's posts it confirms, to be told. One piece for the three
 * messages: a join's `changes`, then a snapshot, once did less than an upsert and kept the words of
 * creates they had confirmed.
 *
 * keptCreates: a create of this tab that a snapshot does not list keeps its words in `sentCreates`.
 * The worker writes a snapshot once the page's cache and its stored outbox are in (background/hub.ts
 * attach), as the confirmed state with the outbox on top, so a create still in its outbox is listed,
 * `pending`, and keeps its words as an upsert of it would. One not listed is one of: a create this
 * tab sends again over the new port (posted, not yet `received`, content/port/connection.ts), which
 * the worker may file only after it wrote the snapshot (both wait for the page to load, and the
 * snapshot's turn comes first): still to be answered, and a refusal of it must give
 * the words back; one refused while no port of this tab listened (the worker's `op-failed` reached
 * nobody); or one confirmed and then deleted meanwhile. Dropping the words would lose them in the
 * first case; keeping them costs an entry that nothing will read in the others, since only an
 * `op-failed` of the create itself (its broadcastId is its id, giveBackCreate) reads one, and a
 * create is answered once. So they stay until an upsert, a remove or the refusal settles them.
 */
function settleUpserted(model: Model, ownPosts: OwnPosts, c: LocalConversation): ReturnType<OwnPosts['confirmed']> {
  model.unconfirmed.delete(c.id);
  if (c.pending !== true) model.sentCreates.delete(c.id);
  // An undo of ours is settled once its conversation shows confirmed (a refusal comes as op-failed).
  if (c.pending !== true) for (const [broadcastId, id] of model.sentRestores) if (id === c.id) model.sentRestores.delete(broadcastId);
  model.sentEdits.confirmed(c);
  return ownPosts.confirmed(c);
}

/** What the tab keeps about a conversation that went: after the refusal of a create (the worker tells it first), a deletion, or one the user deleted unsent. */
function forgetRemoved(model: Model, ownPosts: OwnPosts, id: string): void {
  model.sentCreates.delete(id);
  model.unconfirmed.delete(id);
  ownPosts.forget(id);
  model.sentEdits.forget(id);
}

/**
 * A conversation this tab started was refused (a full server or page, a switch of account): the
 * conversation goes, its words do not. They go back into the composer, on the text they were about,
 * unless the user has another composer open (that one is not replaced; the notice still says why).
 * True when they went back.
 */
function giveBackCreate(model: Model, broadcastId: string, id: string): boolean {
  const sent = model.sentCreates.get(id);
  // A create's broadcastId is its id; another op refused on the same conversation (a reply to it) is not its refusal.
  if (sent === undefined || broadcastId !== id) return false;
  model.sentCreates.delete(id);
  if (model.composer !== null) return false;
  model.composer = { ...sent.target, draft: sent.text };
  return true;
}
