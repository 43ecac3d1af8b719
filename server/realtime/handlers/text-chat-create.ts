import { CreateRequest, type CreateAck } from '../../../protocol/events.js';
import { pageKeys } from '../page-keys.js';
import { parse } from '../../../protocol/validate.js';
import { encodeNewTextChat } from '../../../protocol/wire.js';
import type { Context, GlossSocket } from '../context.js';
import { thenBroadcast } from '../handle.js';
import { roomOf } from '../rooms.js';

export async function textChatCreate(ctx: Context, socket: GlossSocket, payload: unknown): Promise<CreateAck> {
  const req = parse(CreateRequest, payload, 'text-chat:create');
  const pageKey = pageKeys.of(req.chat.url);
  const who = socket.data.identity;
  const now = ctx.now();
  const { seq, event, chat } = await ctx.commits.write(() => ctx.store.create(who, pageKey, req, now));
  if (!event) return { ok: true, seq, chat: chat!, duplicate: true };
  return thenBroadcast({ ok: true as const, seq, author: who.user, createdAt: now }, () =>
    ctx.broadcaster.publish(roomOf(who.tenant, pageKey), ['new-text-chat', encodeNewTextChat(event)], socket.id),
  );
}
