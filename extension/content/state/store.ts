import type { BackgroundToContent, LocalConversation } from '../../../protocol/runtime.js';

/**
 * The tab's conversations as the background reports them, plus the ones this tab created that the
 * background has not echoed yet. Every apply is idempotent (keyed by id), so a message that arrives
 * twice — a replay after a reconnect, the background's pending upsert after our optimistic insert —
 * leaves the same state as arriving once.
 */
export interface ConversationState {
  readonly byId: ReadonlyMap<string, LocalConversation>;
  /** Ids created here and not yet seen from the background: a snapshot must not drop them. */
  readonly localOnly: ReadonlySet<string>;
}

export const EMPTY_STATE: ConversationState = { byId: new Map(), localOnly: new Set() };

type StoreMessage = Extract<BackgroundToContent, { type: 'snapshot' | 'upsert' | 'remove' | 'changes' | 'op-failed' }>;

export function applyMessage(state: ConversationState, message: StoreMessage): ConversationState {
  switch (message.type) {
    case 'snapshot': {
      const byId = new Map<string, LocalConversation>();
      for (const c of message.conversations) byId.set(c.id, c);
      const localOnly = new Set<string>();
      // A create posted just before the snapshot was built is still on its way: keep showing it.
      for (const id of state.localOnly) {
        const local = state.byId.get(id);
        if (local && !byId.has(id)) {
          byId.set(id, local);
          localOnly.add(id);
        }
      }
      return { byId, localOnly };
    }
    case 'upsert': {
      const byId = new Map(state.byId);
      byId.set(message.conversation.id, message.conversation);
      return { byId, localOnly: without(state.localOnly, message.conversation.id) };
    }
    case 'remove': {
      if (!state.byId.has(message.id) && !state.localOnly.has(message.id)) return state;
      const byId = new Map(state.byId);
      byId.delete(message.id);
      return { byId, localOnly: without(state.localOnly, message.id) };
    }
    case 'changes': {
      // As many upserts then removes, with one copy of the map: a join brings a page's conversations in a few of these.
      const byId = new Map(state.byId);
      const localOnly = new Set(state.localOnly);
      for (const c of message.upserts) {
        byId.set(c.id, c);
        localOnly.delete(c.id);
      }
      for (const id of message.removes) {
        byId.delete(id);
        localOnly.delete(id);
      }
      return { byId, localOnly };
    }
    case 'op-failed': {
      // A create the background never accepted has nothing behind it; anything else the background
      // corrects itself with an upsert or a remove.
      if (!state.localOnly.has(message.id)) return state;
      const byId = new Map(state.byId);
      byId.delete(message.id);
      return { byId, localOnly: without(state.localOnly, message.id) };
    }
  }
}

/** The optimistic insert of a conversation created in this tab. */
export function addLocal(state: ConversationState, conversation: LocalConversation): ConversationState {
  if (state.byId.has(conversation.id)) return state;
  const byId = new Map(state.byId);
  byId.set(conversation.id, conversation);
  const localOnly = new Set(state.localOnly);
  localOnly.add(conversation.id);
  return { byId, localOnly };
}

function without(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
  if (!set.has(id)) return set;
  const next = new Set(set);
  next.delete(id);
  return next;
}
