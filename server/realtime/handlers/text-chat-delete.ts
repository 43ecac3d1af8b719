import { DeleteRequest, type DeleteAck } from '../../../protocol/events.js';
import { parse } from '../../../protocol/validate.js';
import type { Context, GlossSocket } from '../context.js';
import { thenBroadcast } from '../handle.js';
import { roomOf } from '../rooms.js';

export async function textChatDelete(ctx: Context, socket: GlossSocket, payload: unknown): Promise<DeleteAck> {
  const req = parse(DeleteRequest, payload, 'text-chat:delete');
  const who = socket.data.identity;
  const now = ctx.now();
  const { seq, event } = await ctx.commits.write(() => ctx.store.delete(who, req, now));
  const ack = { ok: true as const, seq };
  if (!event) return { ...ack, unchanged: true };
  return thenBroadcast(ack, () => ctx.broadcaster.publish(roomOf(who.tenant, event.pageKey), ['deleted-text-chat', event], socket.id));
}
