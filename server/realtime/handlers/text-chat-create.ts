import { CreateRequest, type CreateAck } from '../../../protocol/events.js';
import { normalizePageUrl } from '../../../protocol/url.js';
import { parse } from '../../../protocol/validate.js';
import type { Context, GlossSocket } from '../context.js';
import { thenBroadcast } from '../handle.js';
import { roomOf } from '../rooms.js';

export function textChatCreate(ctx: Context, socket: GlossSocket, payload: unknown): CreateAck {
  const req = parse(CreateRequest, payload, 'text-chat:create');
  const pageKey = normalizePageUrl(req.chat.url);
  const who = socket.data.identity;
  const { seq, event, chat } = ctx.store.create(who, pageKey, req, ctx.now());
  if (!event) return { ok: true, seq, chat: chat!, duplicate: true };
  return thenBroadcast({ ok: true as const, seq, chat: chat! }, () =>
    ctx.broadcaster.publish(roomOf(who.tenant, pageKey), ['new-text-chat', event], socket.id),
  );
}
