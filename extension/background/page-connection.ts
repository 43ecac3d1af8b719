import type { ConnectionState } from '../../protocol/runtime.js';

/**
 * What a page's tabs are told about the connection: `live` only once the socket is up AND the page
 * is joined and in step with the server; before that `connecting` (first time) or `reconnecting`.
 */
export function pageConnection(socketState: ConnectionState, page: { status: string; synced: boolean; seq: number | null } | undefined): ConnectionState {
  if (socketState !== 'live') return socketState;
  if (page === undefined) return 'connecting';
  if (page.status === 'joined' && page.synced) return 'live';
  return page.seq !== null ? 'reconnecting' : 'connecting';
}
