import { RestoreRequest, type RestoreAck } from '../../../protocol/events.js';
import { parse } from '../../../protocol/validate.js';
import { encodeNewTextChat } from '../../../protocol/wire.js';
import type { Context, GlossSocket } from '../context.js';
import { thenBroadcast } from '../handle.js';
import { roomOf } from '../rooms.js';

/**
 * Undo of a deletion (the store says who may, and until when). There is no broadcast of its own: the
 * conversation reaches the others as a `new-text-chat` carrying its whole thread (protocol/wire.ts),
 * which clients take back over their tombstone because its seq comes after the deletion's.
 */
export async function textChatRestore(ctx: Context, socket: GlossSocket, payload: unknown): Promise<RestoreAck> {
  const req = parse(RestoreRequest, payload, 'text-chat:restore');
  const who = socket.data.identity;
  const now = ctx.now();
  const { seq, event, chat } = await ctx.commits.write(() => ctx.store.restore(who, req, now));
  const ack = { ok: true as const, seq, chat };
  if (!event) return { ...ack, unchanged: true };
  return thenBroadcast(ack, () => ctx.broadcaster.publish(roomOf(who.tenant, event.pageKey), ['new-text-chat', encodeNewTextChat(event)], socket.id));
}
