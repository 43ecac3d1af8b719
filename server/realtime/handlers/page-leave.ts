import { PageLeaveRequest, type PageLeaveAck } from '../../../protocol/events.js';
import { pageKeys } from '../page-keys.js';
import { parse } from '../../../protocol/validate.js';
import type { Context, GlossSocket } from '../context.js';

export function pageLeave(ctx: Context, socket: GlossSocket, payload: unknown): PageLeaveAck {
  const req = parse(PageLeaveRequest, payload, 'page:leave');
  const pageKey = pageKeys.of(req.url);
  leavePage(ctx, socket, pageKey);
  return { ok: true, pageKey };
}

/** Also used on disconnect, for every page the socket was on. */
export function leavePage(ctx: Context, socket: GlossSocket, pageKey: string): void {
  const room = socket.data.pages.get(pageKey);
  if (room === undefined) return;
  socket.data.pages.delete(pageKey);
  void socket.leave(room);
  if (ctx.presence.leave(room, socket.data.identity.user.id, socket.id)) ctx.announcePresence(room, pageKey);
}
