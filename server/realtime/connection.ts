import type { Context, GlossSocket } from './context.js';
import { on } from './handle.js';
import { pageJoin } from './handlers/page-join.js';
import { pageLeave } from './handlers/page-leave.js';
import { pageSync } from './handlers/page-sync.js';
import { textChatCreate } from './handlers/text-chat-create.js';
import { textChatDelete } from './handlers/text-chat-delete.js';
import { textChatRestore } from './handlers/text-chat-restore.js';
import { textChatUpdate } from './handlers/text-chat-update.js';
import { closeAtTokenExpiry } from './token-expiry.js';

/** Everything a new, authenticated socket gets: its session, its handlers, and clean-up on disconnect. */
export function onConnection(ctx: Context, socket: GlossSocket): void {
  const { identity } = socket.data;
  ctx.log.info('connected', { socket: socket.id, tenant: identity.tenant, user: identity.user.id });
  socket.emit('session', { tenant: identity.tenant, user: identity.user, role: identity.role });

  on(ctx, socket, 'page:join', pageJoin);
  on(ctx, socket, 'page:sync', pageSync);
  on(ctx, socket, 'page:leave', pageLeave);
  on(ctx, socket, 'text-chat:create', textChatCreate);
  on(ctx, socket, 'text-chat:update', textChatUpdate);
  on(ctx, socket, 'text-chat:delete', textChatDelete);
  on(ctx, socket, 'text-chat:restore', textChatRestore);

  socket.on('disconnect', (reason) => {
    // A dropped connection is often back within seconds (a network blip, Firefox suspending the
    // extension's background every 30 s idle): the user stays counted for a grace period, so the
    // others' "N viewing" does not blink. A new socket of the same user simply adds to the count
    // of their sockets. An explicit page:leave (the last tab closed) is immediate. A close the client
    // asked for gets the grace too: the extension closes its socket to start another when an
    // anonymous user renames themself (the name is in the handshake), and is back at once.
    const pages = [...socket.data.pages];
    socket.data.pages.clear();
    const userId = socket.data.identity.user.id;
    const leave = () => {
      for (const [pageKey, room] of pages) if (ctx.presence.leave(room, userId, socket.id)) ctx.announcePresence(room, pageKey);
    };
    if (ctx.presenceGraceMs > 0) setTimeout(leave, ctx.presenceGraceMs).unref();
    else leave();
    ctx.log.info('disconnected', { socket: socket.id, reason });
  });
  closeAtTokenExpiry(ctx, socket);
}
