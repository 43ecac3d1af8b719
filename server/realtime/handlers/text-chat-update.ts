import { UpdateRequest, type UpdateAck } from '../../../protocol/events.js';
import { parse } from '../../../protocol/validate.js';
import type { Context, GlossSocket } from '../context.js';
import { thenBroadcast } from '../handle.js';
import { roomOf } from '../rooms.js';

export async function textChatUpdate(ctx: Context, socket: GlossSocket, payload: unknown): Promise<UpdateAck> {
  const req = parse(UpdateRequest, payload, 'text-chat:update');
  const who = socket.data.identity;
  const now = ctx.now();
  const { seq, event, chat } = await ctx.commits.write(() => ctx.store.update(who, req, now));
  const ack = { ok: true as const, seq, revision: chat.revision, chat };
  if (!event) return { ...ack, unchanged: true };
  return thenBroadcast(ack, () => ctx.broadcaster.publish(roomOf(who.tenant, event.pageKey), ['updated-text-chat', event], socket.id));
}
