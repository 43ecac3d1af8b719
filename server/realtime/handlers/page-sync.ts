import { PageSyncRequest, type PageSyncAck } from '../../../protocol/events.js';
import { normalizePageUrl } from '../../../protocol/url.js';
import { parse } from '../../../protocol/validate.js';
import type { Context, GlossSocket } from '../context.js';
import { roomOf } from '../rooms.js';

/** Gap repair: the changes after `sinceSeq`, without joining again. Any page of the caller's tenant. */
export function pageSync(ctx: Context, socket: GlossSocket, payload: unknown): PageSyncAck {
  const req = parse(PageSyncRequest, payload, 'page:sync');
  const pageKey = normalizePageUrl(req.url);
  const { tenant } = socket.data.identity;
  return { ok: true, ...ctx.store.changesSince(tenant, pageKey, req.sinceSeq), ...ctx.presence.view(roomOf(tenant, pageKey)) };
}
