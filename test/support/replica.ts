import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { conversationOfCreate, type Change, type CreateAck, type CreateRequest, type SyncState } from '../../protocol/events.js';
import type { Conversation } from '../../protocol/model.js';
import { applyChanges, applyGone, applySnapshot, emptyPage, foldAnswer, type PageState } from '../../extension/background/reducer.js';
import type { ServerChange } from '../../extension/background/server-schemas.js';
import { broadcastObject, type TestSocket } from './clients.js';

/**
 * A protocol client that keeps a page's state with the extension's own reducer (the code the
 * background runs), reconnects with `page:join { sinceSeq }`, and repairs seq gaps with `page:sync`.
 * Tests drive it and compare its state with the database's.
 */
export class Replica {
  socket: TestSocket | null = null;
  state: PageState;
  private syncing: Promise<void> | null = null;
  /** The last join/sync answer, as the server sent it. */
  lastSync: ({ ok: boolean } & Partial<SyncState>) | null = null;
  readonly anonymousId = randomUUID();
  readonly userId: Promise<string>;
  private resolveUser!: (id: string) => void;

  constructor(
    private readonly url: string,
    private readonly pageUrl: string,
    readonly name: string,
  ) {
    this.state = emptyPage('');
    this.userId = new Promise((r) => (this.resolveUser = r));
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  async connect(): Promise<void> {
    const socket: TestSocket = io(this.url, { transports: ['websocket'], auth: { anonymousId: this.anonymousId, name: this.name }, reconnection: false, forceNew: true });
    this.socket = socket;
    socket.on('session', (s) => this.resolveUser(s.user.id));
    const change = (type: Change['type'], p: unknown) => ({ ...broadcastObject(type, p), type }) as unknown as ServerChange;
    const onChange = (type: Change['type']) => (p: unknown) => this.receive([change(type, p)]);
    socket.on('new-text-chat', onChange('new-text-chat'));
    socket.on('updated-text-chat', onChange('updated-text-chat'));
    socket.on('deleted-text-chat', onChange('deleted-text-chat'));
    socket.on('text-chat-batch', (entries) => this.receive(entries.map(([type, p]) => change(type, p))));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const ack = await this.emit('page:join', this.state.seq === null ? { url: this.pageUrl } : { url: this.pageUrl, sinceSeq: this.state.seq });
    if (ack) this.adopt(ack as unknown as { ok: true } & SyncState);
  }

  disconnect(): void {
    this.socket?.disconnect();
    this.socket = null;
  }

  /** Emits with an ack; resolves null when the connection is cut before the answer (the answer is lost). */
  emit(event: string, payload: unknown, ms = 5_000): Promise<Record<string, unknown> | null> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.resolve(null);
    return new Promise((resolve) => {
      const onDisconnect = () => resolve(null);
      socket.once('disconnect', onDisconnect);
      (socket.timeout(ms).emit as (e: string, p: unknown, cb: (err: Error | null, r: Record<string, unknown>) => void) => void)(event, payload, (err, res) => {
        socket.off('disconnect', onDisconnect);
        resolve(err ? null : res);
      });
    });
  }

  private adopt(ack: { ok: boolean } & Partial<SyncState>): void {
    this.lastSync = ack;
    if (!ack || !ack.ok) return;
    if ('conversations' in ack && ack.conversations) this.state = applySnapshot({ ...this.state, pageKey: ack.pageKey! }, ack.seq!, ack.conversations);
    else if ('changes' in ack && ack.changes) this.receive(ack.changes as unknown as ServerChange[]);
  }

  private receive(changes: ServerChange[]): void {
    const result = applyChanges(this.state, changes);
    this.state = result.state;
    if (result.gap) void this.sync(result.gap.full);
  }

  /** Gap repair; `full` asks for a snapshot. */
  sync(full = false): Promise<void> {
    this.syncing ??= (async () => {
      const ack = full || this.state.seq === null ? await this.emit('page:join', { url: this.pageUrl }) : await this.emit('page:sync', { url: this.pageUrl, sinceSeq: this.state.seq });
      this.syncing = null;
      if (ack) this.adopt(ack as never);
    })();
    return this.syncing;
  }

  /** Folds our own operation's acknowledgement in, as the background does; a create's needs its request (CreateAck). */
  ack(res: Record<string, unknown> | null, id: string, kind: 'upsert' | 'remove', create?: CreateRequest): void {
    if (!res) return;
    if (res.ok === true) {
      const upsert = create ? conversationOfCreate(create, res as CreateAck & { ok: true }) : (res.chat as Conversation);
      const unchanged = res.duplicate === true || res.unchanged === true;
      const folded = foldAnswer(this.state, { seq: res.seq as number, unchanged, result: kind === 'remove' ? { remove: id } : { upsert } });
      this.state = folded.state;
      if (folded.gap) void this.sync(folded.gap.full);
    } else if ((res.error as { code: string }).code === 'gone') {
      this.state = applyGone(this.state, id);
    }
  }

  /** The state as comparable data: id → revision, resolved, comment ids and texts. */
  view(): Record<string, { revision: number; resolved: boolean; comments: [string, string][] }> {
    const out: Record<string, { revision: number; resolved: boolean; comments: [string, string][] }> = {};
    for (const [id, c] of Object.entries(this.state.conversations)) out[id] = { revision: c.revision, resolved: c.resolved, comments: c.comments.map((m) => [m.id, m.text]) };
    return out;
  }
}
