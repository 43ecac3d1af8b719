import type { ClientToServerEvents } from '../../protocol/events.js';
import type { Context, GlossSocket } from './context.js';
import { on, refuseUnknownEvents, type Handler } from './handle.js';
import { pageJoin } from './handlers/page-join.js';
import { pageLeave } from './handlers/page-leave.js';
import { pageSync } from './handlers/page-sync.js';
import { textChatCreate } from './handlers/text-chat-create.js';
import { textChatDelete } from './handlers/text-chat-delete.js';
import { textChatRestore } from './handlers/text-chat-restore.js';
import { textChatUpdate } from './handlers/text-chat-update.js';
import { closeAtTokenExpiry } from './token-expiry.js';

/** The events a client may send (protocol/events.ts), each with its handler; anything else is refused. */
const HANDLERS: { [E in keyof ClientToServerEvents]: Handler<E> } = {
  'page:join': pageJoin,
  'page:sync': pageSync,
  'page:leave': pageLeave,
  'text-chat:create': textChatCreate,
  'text-chat:update': textChatUpdate,
  'text-chat:delete': textChatDelete,
  'text-chat:restore': textChatRestore,
};

/** Everything a new, authenticated socket gets: its session, its handlers, and clean-up on disconnect. */
export function onConnection(ctx: Context, socket: GlossSocket): void {
  const { identity } = socket.data;
  ctx.log.info('connected', { socket: socket.id, tenant: identity.tenant, user: identity.user.id });
  socket.emit('session', { tenant: identity.tenant, user: identity.user, role: identity.role });

  for (const event of Object.keys(HANDLERS) as (keyof ClientToServerEvents)[]) on(ctx, socket, event, HANDLERS[event]);
  refuseUnknownEvents(socket, (event) => Object.hasOwn(HANDLERS, event));

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
