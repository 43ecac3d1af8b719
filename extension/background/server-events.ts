import * as v from 'valibot';
import type { KnownSelf } from './known-self.js';
import type { Hub } from './hub.js';
import type { ServerSocket } from './connection.js';
import { splitBatch } from './batch.js';
import { issueMessage } from '../../protocol/validate.js';
import { NewTextChatFromWire } from '../../protocol/wire.js';
import { BatchSchema, DeletedTextChatSchema, PresenceSchema, SessionSchema, UpdatedTextChatSchema } from './server-schemas.js';

function check<S extends v.GenericSchema>(schema: S, raw: unknown, event: string): v.InferOutput<S> | null {
  const result = v.safeParse(schema, raw);
  if (result.success) return result.output;
  const path = v.getDotPath(result.issues[0]);
  console.warn(`[gloss] dropped a ${event} event from the server${path ? ` (at ${path})` : ''}: ${issueMessage(result.issues[0])}`);
  return null;
}

/** Routes the server's broadcasts to the hub, each checked first; `session` tells who we are (known-self.ts). */
export function wireServerEvents(socket: ServerSocket, hub: Hub, onSession: (known: KnownSelf) => void = () => {}): void {
  socket.on('new-text-chat', (raw) => {
    // The protocol's decoder (decodeNewTextChat's schema), here for the reason it gives when it refuses.
    const e = check(NewTextChatFromWire, raw, 'new-text-chat');
    if (e) hub.onChanges(e.pageKey, [{ type: 'new-text-chat', broadcastId: e.broadcastId, seq: e.seq, id: e.id, chat: e.chat }]);
  });
  socket.on('updated-text-chat', (raw) => {
    const e = check(UpdatedTextChatSchema, raw, 'updated-text-chat');
    if (!e) return;
    const { pageKey, ...change } = e;
    hub.onChanges(pageKey, [{ type: 'updated-text-chat', ...change }]);
  });
  socket.on('deleted-text-chat', (raw) => {
    const e = check(DeletedTextChatSchema, raw, 'deleted-text-chat');
    if (e) hub.onChanges(e.pageKey, [{ type: 'deleted-text-chat', broadcastId: e.broadcastId, seq: e.seq, id: e.id }]);
  });
  socket.on('text-chat-batch', (raw) => {
    const entries = check(BatchSchema, raw, 'text-chat-batch');
    if (!entries) return;
    for (const [pageKey, changes] of splitBatch(entries)) hub.onChanges(pageKey, changes);
  });
  socket.on('presence', (raw) => {
    const e = check(PresenceSchema, raw, 'presence');
    if (e) hub.onPresence(e.pageKey, e.viewers, e.users);
  });
  socket.on('session', (raw) => {
    const e = check(SessionSchema, raw, 'session');
    if (!e) return;
    hub.self = e.user;
    hub.role = e.role;
    hub.announce();
    onSession({ user: e.user, role: e.role });
  });
}
