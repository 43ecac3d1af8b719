import { PageJoinRequest, type PageJoinAck } from '../../../protocol/events.js';
import { ProtocolError } from '../../../protocol/errors.js';
import { pageKeys } from '../page-keys.js';
import { parse } from '../../../protocol/validate.js';
import { MAX_PAGES_PER_SOCKET, type Context, type GlossSocket } from '../context.js';
import { roomOf } from '../rooms.js';

export async function pageJoin(ctx: Context, socket: GlossSocket, payload: unknown): Promise<PageJoinAck> {
  const req = parse(PageJoinRequest, payload, 'page:join');
  const pageKey = pageKeys.of(req.url);
  const { tenant, user } = socket.data.identity;
  const room = roomOf(tenant, pageKey);
  if (!socket.data.pages.has(pageKey) && socket.data.pages.size >= MAX_PAGES_PER_SOCKET) {
    throw new ProtocolError('too_large', `a connection views at most ${MAX_PAGES_PER_SOCKET} pages at once`);
  }
  // Join before reading, so no change can fall between the read and the join; a broadcast the
  // client also finds in the answer carries a seq it already has, and clients skip those.
  void socket.join(room);
  socket.data.pages.set(pageKey, room);
  rememberJoinedUrl(socket, req.url, pageKey);
  if (ctx.presence.join(room, user, socket.id)) ctx.announcePresence(room, pageKey);
  const { sinceSeq } = req;
  const state = await ctx.commits.read(() => (sinceSeq === undefined ? ctx.store.snapshot(tenant, pageKey) : ctx.store.changesSince(tenant, pageKey, sinceSeq)));
  return { ok: true, ...state, ...ctx.presence.view(room) };
}

/**
 * Notes the URL a join sent, for its leave (handle.ts). Bounded like the pages a socket may view: when
 * full, the URLs of pages left go; if the socket's pages still fill it (one page joined under many
 * spellings), this URL is not noted and its leave is charged to the rate limit like any other.
 */
function rememberJoinedUrl(socket: GlossSocket, url: string, pageKey: string): void {
  const urls = socket.data.joinedUrls;
  if (urls.has(url)) return void urls.set(url, pageKey);
  if (urls.size >= MAX_PAGES_PER_SOCKET) for (const [u, key] of urls) if (!socket.data.pages.has(key)) urls.delete(u);
  if (urls.size < MAX_PAGES_PER_SOCKET) urls.set(url, pageKey);
}
