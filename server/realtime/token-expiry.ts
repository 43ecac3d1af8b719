import type { Context, GlossSocket } from './context.js';

/** setTimeout's longest delay; a longer one fires at once. Tokens live 30 days by default. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Ends a token's connection when the token expires. The handshake is the only place a token is
 * checked, and the extension keeps its one socket up for days: without this an expired (or
 * deliberately short-lived) token kept reading and writing its tenant for as long as the
 * connection lasted. The transport is closed rather than the socket disconnected, so the client
 * reconnects as after any drop and its handshake is refused `unauthorized`, which it shows.
 */
export function closeAtTokenExpiry(ctx: Context, socket: GlossSocket): void {
  const { expiresAt, tenant, user } = socket.data.identity;
  if (expiresAt === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const left = expiresAt - ctx.now();
    if (left > 0) {
      timer = setTimeout(check, Math.min(left, MAX_DELAY_MS));
      timer.unref();
      return;
    }
    ctx.log.info('token_expired', { socket: socket.id, tenant, user: user.id });
    socket.conn.close();
  };
  check();
  socket.once('disconnect', () => clearTimeout(timer));
}
