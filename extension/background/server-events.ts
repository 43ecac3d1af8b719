import type { KnownSelf } from './known-self.js';
import type { Hub } from './hub.js';
import type { ServerSocket } from './connection.js';
import { splitBatch } from './batch.js';
import { parseOrDrop } from '../../protocol/validate.js';
import { NewTextChatFromWire } from '../../protocol/wire.js';
import { BatchSchema, DeletedTextChatSchema, PresenceSchema, SessionSchema, UpdatedTextChatSchema } from './server-schemas.js';

/** Routes the server's broadcasts to the hub, each checked first; `session` tells who we are (known-self.ts). */
export function wireServerEvents(socket: ServerSocket, hub: Hub, onSession: (known: KnownSelf) => void = () => {}): void {
  socket.on('new-text-chat', (raw) => {
    // The protocol's decoder (decodeNewTextChat's schema), here for the reason it gives when it refuses.
    const e = parseOrDrop(NewTextChatFromWire, raw, 'a new-text-chat event from the server');
    if (e) hub.onChanges(e.pageKey, [{ type: 'new-text-chat', broadcastId: e.broadcastId, seq: e.seq, id: e.id, chat: e.chat }]);
  });
  socket.on('updated-text-chat', (raw) => {
    const e = parseOrDrop(UpdatedTextChatSchema, raw, 'a updated-text-chat event from the server');
    if (!e) return;
    const { pageKey, ...change } = e;
    hub.onChanges(pageKey, [{ type: 'updated-text-chat', ...change }]);
  });
  socket.on('deleted-text-chat', (raw) => {
    const e = parseOrDrop(DeletedTextChatSchema, raw, 'a deleted-text-chat event from the server');
    if (e) hub.onChanges(e.pageKey, [{ type: 'deleted-text-chat', broadcastId: e.broadcastId, seq: e.seq, id: e.id }]);
  });
  socket.on('text-chat-batch', (raw) => {
    const entries = parseOrDrop(BatchSchema, raw, 'a text-chat-batch event from the server');
    if (!entries) return;
    for (const [pageKey, changes] of splitBatch(entries)) hub.onChanges(pageKey, changes);
  });
  socket.on('presence', (raw) => {
    const e = parseOrDrop(PresenceSchema, raw, 'a presence event from the server');
    if (e) hub.onPresence(e.pageKey, e.viewers, e.users);
  });
  socket.on('session', (raw) => {
    const e = parseOrDrop(SessionSchema, raw, 'a session event from the server');
    if (!e) return;
    hub.self = e.user;
    hub.role = e.role;
    hub.announce();
    onSession({ user: e.user, role: e.role });
  });
}
