import { PageSyncRequest, type PageSyncAck } from '../../../protocol/events.js';
import { pageKeys } from '../page-keys.js';
import { parse } from '../../../protocol/validate.js';
import type { Context, GlossSocket } from '../context.js';
import { roomOf } from '../rooms.js';

/** Gap repair: the changes after `sinceSeq`, without joining again. Any page of the caller's tenant. */
export async function pageSync(ctx: Context, socket: GlossSocket, payload: unknown): Promise<PageSyncAck> {
  const req = parse(PageSyncRequest, payload, 'page:sync');
  const pageKey = pageKeys.of(req.url);
  const { tenant } = socket.data.identity;
  const changes = await ctx.commits.read(() => ctx.store.changesSince(tenant, pageKey, req.sinceSeq));
  return { ok: true, ...changes, ...ctx.presence.view(roomOf(tenant, pageKey)) };
}
