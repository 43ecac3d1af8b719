import * as v from 'valibot';
import type { ErrorBody } from '../../protocol/errors.js';
import { conversationOfCreate } from '../../protocol/events.js';
import type { Conversation } from '../../protocol/model.js';
import type { ContentToBackground } from '../../protocol/runtime.js';
import type { ServerSocket } from './connection.js';
import type { Hub } from './hub.js';
import { ACK_TIMEOUT_MS } from './timing.js';
import type { Page, TabPort } from './page.js';
import { opTarget, type PendingOp } from './pending.js';
import { extendOwnRun, MAX_LOST_SENDS, MAX_TRIES, ownBase, rebaseFollowers, retryDelay, verdict } from './outbox-rules.js';
import { answerTarget, applyGone, applyNewer, foldAnswer, type OwnAnswer } from './reducer.js';
import { CreateAckSchema, DeleteAckSchema, RestoreAckSchema, UpdateAckSchema } from './server-schemas.js';

const LOCAL_AUTHOR = { id: 'local', name: 'You' };

/** The request a tab's operation becomes; the page's address comes from the port, never the tab. */
export function toPendingOp(
  page: { key: string; url: string; deletedHere?: ReadonlyMap<string, Conversation> },
  message: ContentToBackground,
  author: { id: string; name: string },
  at: number,
  seen?: number,
  before?: string,
): PendingOp {
  switch (message.type) {
    case 'create':
      return { kind: 'create', pageKey: page.key, url: page.url, author, at, request: { broadcastId: message.broadcastId, chat: { ...message.chat, url: page.url } } };
    case 'update': {
      const { type: _type, ...request } = message;
      return { kind: 'update', pageKey: page.key, url: page.url, author, at, request, ...(seen !== undefined ? { seen } : {}), ...(before !== undefined ? { before } : {}) };
    }
    case 'delete':
      return { kind: 'delete', pageKey: page.key, url: page.url, request: { broadcastId: message.broadcastId, id: message.id } };
    case 'restore': {
      const chat = page.deletedHere?.get(message.id);
      return { kind: 'restore', pageKey: page.key, url: page.url, request: { broadcastId: message.broadcastId, id: message.id }, ...(chat ? { chat } : {}) };
    }
  }
}

/** Where the outbox is persisted (IndexedDB in the worker: outbox-store.ts). */
export interface OutboxStore {
  put(op: PendingOp, order: number): Promise<void>;
  remove(broadcastId: string): Promise<void>;
}

type Answer = OwnAnswer | { error: ErrorBody & { current?: Conversation } };

/**
 * The outbox at work. A tab's operation is shown at once to every tab of the page (the pending
 * overlay), written to the persisted outbox, and sent when the page is joined and resynced, one
 * at a time per page in the order made. On the server's answer it is folded into the confirmed
 * state and leaves the outbox, or is refused (leaves the outbox, the tabs get `op-failed`), or
 * stays for a retry with the same ids (no answer, `rate_limited`, `internal`): creates and
 * comments are idempotent by id, so a retry after a lost ack never makes a duplicate.
 */
export class Operations {
  /** The last position given to an op in the persisted outbox; each op's own is kept by its page. */
  #last = 0;
  #token = 0;
  /** Outbox writes not yet done, by broadcastId. */
  #writes = new Map<string, Promise<void>>();
  /**
   * The tab of each op it made on a page it has left since (Hub.operationOn): it is none of that
   * page's tabs, and is told of the op's refusal too. Memory only: a stopped worker forgets it.
   */
  #madeElsewhere = new Map<string, TabPort>();

  constructor(
    private readonly hub: Hub,
    private readonly store: OutboxStore,
  ) {}

  /** Takes note of the stored positions (after reading the outbox back), so new ops go after them. */
  restored(rows: readonly { order: number }[]): void {
    for (const row of rows) this.#last = Math.max(this.#last, row.order);
  }

  #nextOrder(): number {
    this.#last = Math.max(this.#last + 1, Date.now() * 1000);
    return this.#last;
  }

  /**
   * Takes a tab's operation into the outbox; resolves once it is written there, when the tab may
   * forget it (`received`). A tab re-sends what it has not heard `received` for, after its port
   * dropped: the same broadcastId is the same op.
   */
  start(page: Page, message: ContentToBackground): Promise<void> {
    const writing = this.#writes.get(message.broadcastId);
    if (writing !== undefined) return writing;
    // Read back from the outbox: written already.
    if (page.ops.some((op) => op.request.broadcastId === message.broadcastId)) return Promise.resolve();
    const chat = message.type === 'update' ? page.view().get(message.id) : undefined;
    const seen = chat?.revision;
    let before: string | undefined;
    if (message.type === 'update' && message.baseRevision !== undefined) {
      message = { ...message, baseRevision: ownBase(page.ownRuns.get(message.id), message.baseRevision, seen) };
      // Only when the tab's view is the worker's: a tab behind it may not have seen this text.
      const { changes } = message;
      if (message.baseRevision === seen && 'editComment' in changes) before = chat?.comments.find((c) => c.id === changes.editComment.id)?.text;
    }
    if (message.type === 'delete') {
      const shown = page.view().get(message.id);
      if (shown !== undefined) {
        const { pending: _pending, ...chat } = shown;
        page.rememberDeleted(chat);
      }
    }
    const op = toPendingOp(page, message, this.hub.self ?? LOCAL_AUTHOR, Date.now(), seen, before);
    const order = this.#nextOrder();
    page.addOp(op, order);
    const written = this.store.put(op, order).finally(() => this.#writes.delete(message.broadcastId));
    this.#writes.set(message.broadcastId, written);
    page.push(this.hub.portsOf(page));
    const socket = this.hub.deps.connection.live;
    if (socket && page.status === 'idle') void page.loaded.then(() => this.hub.sync.join(socket, page));
    else this.pump(page);
    return written;
  }

  /** The server's newer copy of a conversation (a conflict's or a refusal's `current`), into the page's state. */
  #takeNewer(page: Page, current: Conversation): void {
    page.change([current.id], (state) => ({ state: applyNewer(state, current) }));
  }

  /** `port`, on another page now, made the op: it hears of its refusal (fail). */
  madeElsewhere(broadcastId: string, port: TabPort): void {
    this.#madeElsewhere.set(broadcastId, port);
  }

  /** Sends the page's next op when the page is joined and in step, and nothing else is in flight. */
  pump(page: Page): void {
    const socket = this.hub.deps.connection.live;
    if (!socket || page.status !== 'joined' || !page.synced || page.syncing || page.inFlight !== null || page.waiting !== null) return;
    const op = page.ops[0];
    if (op === undefined) {
      this.hub.release(page);
      return;
    }
    const broadcastId = op.request.broadcastId;
    if (page.lostSends(broadcastId) >= MAX_LOST_SENDS) {
      this.fail(page, op, { code: 'internal', message: 'The connection to the server dropped every time this was sent' }, true);
      return;
    }
    const token = ++this.#token;
    page.inFlight = { broadcastId, token };
    page.unanswered = null;
    page.sending(broadcastId);
    const answered = (error: Error | null, raw?: unknown) => {
      // A send of a socket that has since dropped: its op is sent again after the rejoin.
      if (page.inFlight?.token !== token) return;
      page.inFlight = null;
      if (error) this.#noAnswer(page, op, socket);
      else this.#answered(page, op, raw);
    };
    const timed = socket.timeout(ACK_TIMEOUT_MS);
    switch (op.kind) {
      case 'create':
        timed.emit('text-chat:create', op.request, answered);
        break;
      case 'update':
        timed.emit('text-chat:update', op.request, answered);
        break;
      case 'delete':
        timed.emit('text-chat:delete', op.request, answered);
        break;
      case 'restore':
        timed.emit('text-chat:restore', op.request, answered);
        break;
    }
  }

  /** The socket dropped: whatever was in flight is sent again (same ids) once the page is rejoined. */
  disconnected(page: Page): void {
    // Lost with the connection, not the op's failure (outbox-rules.ts MAX_TRIES).
    const lost = page.inFlight?.broadcastId ?? page.unanswered;
    if (lost != null && page.ops.some((o) => o.request.broadcastId === lost)) page.sendLost(lost);
    page.unanswered = null;
    page.inFlight = null;
    if (page.waiting !== null) clearTimeout(page.waiting);
    page.waiting = null;
  }

  /** A broadcast of our own op came back (a busy page's batch includes ours): it is confirmed. */
  settleEcho(page: Page, broadcastId: string, revision: number | null): void {
    const op = page.ops.find((o) => o.request.broadcastId === broadcastId);
    if (op === undefined) return;
    if (page.inFlight?.broadcastId === broadcastId) page.inFlight = null;
    this.#confirmed(page, op, revision);
  }

  #parse(op: PendingOp, raw: unknown): Answer | null {
    if (op.kind === 'delete') {
      const answer = v.safeParse(DeleteAckSchema, raw);
      if (!answer.success) return null;
      return answer.output.ok ? { seq: answer.output.seq, unchanged: answer.output.unchanged === true, result: { remove: op.request.id } } : { error: answer.output.error };
    }
    if (op.kind === 'restore') {
      const answer = v.safeParse(RestoreAckSchema, raw);
      if (!answer.success) return null;
      return answer.output.ok ? { seq: answer.output.seq, unchanged: answer.output.unchanged === true, result: { restore: answer.output.chat } } : { error: answer.output.error };
    }
    if (op.kind === 'create') {
      const answer = v.safeParse(CreateAckSchema, raw);
      if (!answer.success) return null;
      if (!answer.output.ok) return { error: answer.output.error };
      return { seq: answer.output.seq, unchanged: 'duplicate' in answer.output, result: { upsert: conversationOfCreate(op.request, answer.output) } };
    }
    const answer = v.safeParse(UpdateAckSchema, raw);
    if (!answer.success) return null;
    return answer.output.ok ? { seq: answer.output.seq, unchanged: answer.output.unchanged === true, result: { upsert: answer.output.chat } } : { error: answer.output.error };
  }

  #answered(page: Page, op: PendingOp, raw: unknown): void {
    const answer = this.#parse(op, raw);
    if (answer === null) {
      console.warn(`[gloss] unexpected answer to ${op.kind}`);
      this.fail(page, op, { code: 'internal', message: 'The server sent an unexpected answer' }, true);
      return;
    }
    if ('error' in answer) {
      // Sent before, maybe lost with a connection: it may be in already.
      const retried = page.tries(op.request.broadcastId) > 1;
      const what = verdict(op, answer.error, retried);
      if (what === 'retry') this.#later(page, op, answer.error);
      else if (what === 'applied' && answer.error.current) {
        this.#takeNewer(page, answer.error.current);
        this.#confirmed(page, op, answer.error.current.revision);
        this.hub.sync.catchUp(page, false);
      } else if (what === 'rebase' && op.kind === 'update' && answer.error.current && page.failures(op.request.broadcastId) < MAX_TRIES) {
        this.#rebase(page, op, answer.error.current);
      } else this.fail(page, op, answer.error);
      return;
    }
    const { result } = answer;
    const folded = page.change([answerTarget(result)], (state) => foldAnswer(state, answer));
    this.#confirmed(page, op, 'upsert' in result ? result.upsert.revision : null);
    if (folded.gap) this.hub.sync.catchUp(page, folded.gap.full);
  }

  /** No answer in time on a live socket: the op may or may not have been applied. Sync, then the same op again. */
  #noAnswer(page: Page, op: PendingOp, socket: ServerSocket): void {
    page.unanswered = op.request.broadcastId;
    // The socket is going: disconnected() counts the send as lost, and it goes again after the rejoin.
    if (this.hub.deps.connection.live !== socket) return;
    if (page.failures(op.request.broadcastId) >= MAX_TRIES) {
      this.fail(page, op, { code: 'internal', message: 'The server did not answer in time' }, true);
      return;
    }
    this.hub.sync.catchUp(page, false);
    this.pump(page);
  }

  /** A transient refusal: nothing was changed; try again after a pause, or give up after MAX_TRIES. */
  #later(page: Page, op: PendingOp, error: ErrorBody): void {
    const tries = page.failures(op.request.broadcastId);
    if (tries >= MAX_TRIES) {
      this.fail(page, op, error);
      return;
    }
    page.waiting = setTimeout(() => {
      page.waiting = null;
      this.pump(page);
    }, retryDelay(tries));
  }

  /**
   * An edit refused as made on an older revision, though the comment it edits still reads as the
   * user saw it: what changed meanwhile (a reply, a resolve) is not in its way, and it goes again on
   * the current revision. Each send counts towards MAX_TRIES, which ends a race that never settles.
   */
  #rebase(page: Page, op: Extract<PendingOp, { kind: 'update' }>, current: Conversation): void {
    this.#takeNewer(page, current);
    const moved: PendingOp = { ...op, seen: current.revision, request: { ...op.request, baseRevision: current.revision } };
    page.replaceOp(moved);
    void this.store.put(moved, page.orderOf(op.request.broadcastId) ?? this.#nextOrder());
    this.hub.changed(page);
    this.pump(page);
  }

  /** The op is in the confirmed state: out of the outbox; the ops made on top of it follow it. */
  #confirmed(page: Page, op: PendingOp, revision: number | null): void {
    const broadcastId = op.request.broadcastId;
    page.dropOp(broadcastId);
    this.#madeElsewhere.delete(broadcastId);
    void this.store.remove(broadcastId);
    if (op.kind === 'update' && op.seen !== undefined && revision !== null) {
      const run = extendOwnRun(page.ownRuns.get(op.request.id), op.seen, revision);
      if (run === undefined) page.ownRuns.delete(op.request.id);
      else page.ownRuns.set(op.request.id, run);
      for (const moved of rebaseFollowers(page.ops, op.request.id, run).changed) {
        page.replaceOp(moved);
        void this.store.put(moved, page.orderOf(moved.request.broadcastId) ?? this.#nextOrder());
      }
    }
    this.hub.changed(page);
    this.pump(page);
  }

  /** Refused for good: out of the outbox, the tabs are told why, and the confirmed state shows again. */
  fail(page: Page, op: PendingOp, error: ErrorBody & { current?: Conversation }, reconcile = false): void {
    const broadcastId = op.request.broadcastId;
    if (page.dropOp(broadcastId) === null) return;
    void this.store.remove(broadcastId);
    const id = opTarget(op);
    if (error.current) this.#takeNewer(page, error.current);
    // `gone` on a create is its conversation; on an update it may be only a comment: ask the server.
    if (error.code === 'gone' && op.kind === 'create') page.change([id], (state) => ({ state: applyGone(state, id) }));
    if (error.code === 'gone' && op.kind === 'update') reconcile = true;
    const tabs = this.hub.portsOf(page);
    const maker = this.#madeElsewhere.get(broadcastId);
    this.#madeElsewhere.delete(broadcastId);
    for (const port of maker === undefined || tabs.includes(maker) ? tabs : [...tabs, maker]) {
      port.post({ type: 'op-failed', broadcastId, id, error: { code: error.code, message: error.message } });
    }
    this.hub.changed(page);
    // Without an answer the op may still have been applied: ask the server what is true.
    if (reconcile) this.hub.sync.catchUp(page, false);
    this.pump(page);
  }
}
