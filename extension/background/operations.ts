import * as v from 'valibot';
import type { ErrorBody } from '../../protocol/errors.js';
import type { Conversation } from '../../protocol/model.js';
import type { ContentToBackground } from '../../protocol/runtime.js';
import type { ServerSocket } from './connection.js';
import type { Hub } from './hub.js';
import { ACK_TIMEOUT_MS } from './timing.js';
import type { Page } from './page.js';
import { opTarget, settle, type PendingOp } from './pending.js';
import { applyAck, applyGone, applyNewer } from './reducer.js';
import { CreateAckSchema, DeleteAckSchema, UpdateAckSchema } from './server-schemas.js';

const LOCAL_AUTHOR = { id: 'local', name: 'You' };

/** The request a tab's operation becomes; the page's address comes from the port, never the tab. */
export function toPendingOp(page: { key: string; url: string }, message: ContentToBackground, author: { id: string; name: string }, at: number): PendingOp {
  switch (message.type) {
    case 'create':
      return { kind: 'create', pageKey: page.key, author, at, request: { broadcastId: message.broadcastId, chat: { ...message.chat, url: page.url } } };
    case 'update': {
      const { type: _type, ...request } = message;
      return { kind: 'update', pageKey: page.key, author, at, request };
    }
    case 'delete':
      return { kind: 'delete', pageKey: page.key, request: { broadcastId: message.broadcastId, id: message.id } };
  }
}

/**
 * Operations from tabs: shown at once to every tab of the page as a pending overlay, sent to the
 * server, and on its answer folded into the confirmed state (or undone, with `op-failed`).
 */
export class Operations {
  #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly hub: Hub) {}

  start(page: Page, message: ContentToBackground): void {
    // A tab re-sends what it posted just before its port dropped: the same broadcastId is the same op.
    if (page.ops.some((op) => op.request.broadcastId === message.broadcastId)) return;
    const op = toPendingOp(page, message, this.hub.self ?? LOCAL_AUTHOR, Date.now());
    page.ops.push(op);
    page.push(this.hub.portsOf(page));
    const socket = this.hub.deps.connection.live;
    if (!socket) {
      this.fail(page, op, { code: 'internal', message: 'Not connected to the Gloss server' });
      return;
    }
    this.#timers.set(
      op.request.broadcastId,
      setTimeout(() => this.fail(page, op, { code: 'internal', message: 'The server did not answer in time' }, true), ACK_TIMEOUT_MS),
    );
    if (page.status === 'joined') {
      this.send(page, op, socket);
    } else {
      page.unsent.push(op);
      if (page.status === 'idle') void page.loaded.then(() => this.hub.join(socket, page));
    }
  }

  flushUnsent(page: Page, socket: ServerSocket): void {
    const unsent = page.unsent;
    page.unsent = [];
    for (const op of unsent) this.send(page, op, socket);
  }

  failUnsent(page: Page, error: ErrorBody): void {
    const unsent = page.unsent;
    page.unsent = [];
    for (const op of unsent) this.fail(page, op, error);
  }

  /** A broadcast of our own op came back: it is in the confirmed state now. */
  settleEcho(page: Page, broadcastId: string): void {
    const settled = settle(page.ops, broadcastId);
    if (settled.op === null) return;
    page.ops = settled.ops;
    this.#clear(broadcastId);
  }

  send(page: Page, op: PendingOp, socket: ServerSocket): void {
    const answered = (raw: unknown) => this.answered(page, op, raw);
    switch (op.kind) {
      case 'create':
        socket.emit('text-chat:create', op.request, answered);
        break;
      case 'update':
        socket.emit('text-chat:update', op.request, answered);
        break;
      case 'delete':
        socket.emit('text-chat:delete', op.request, answered);
        break;
    }
  }

  /** The server's answer, checked: the seq and what it did, or why it refused. */
  #parseAnswer(op: PendingOp, raw: unknown): { seq: number; result: { upsert: Conversation } | { remove: string } } | { error: ErrorBody & { current?: Conversation } } | null {
    if (op.kind === 'delete') {
      const answer = v.safeParse(DeleteAckSchema, raw);
      if (!answer.success) return null;
      return answer.output.ok ? { seq: answer.output.seq, result: { remove: op.request.id } } : { error: answer.output.error };
    }
    const answer = op.kind === 'create' ? v.safeParse(CreateAckSchema, raw) : v.safeParse(UpdateAckSchema, raw);
    if (!answer.success) return null;
    return answer.output.ok ? { seq: answer.output.seq, result: { upsert: answer.output.chat } } : { error: answer.output.error };
  }

  answered(page: Page, op: PendingOp, raw: unknown): void {
    const answer = this.#parseAnswer(op, raw);
    if (answer === null) {
      console.warn(`[gloss] unexpected answer to ${op.kind}`);
      this.fail(page, op, { code: 'internal', message: 'The server sent an unexpected answer' }, true);
      return;
    }
    if ('error' in answer) {
      this.fail(page, op, answer.error);
      return;
    }
    const id = opTarget(op);
    const { result } = answer;
    // Folded even when the op already timed out here: a late success is still the truth.
    const step = applyAck(page.state, answer.seq, result);
    if (step.status === 'applied') page.state = step.state;
    else if (step.status === 'gap') {
      // Show the result now, without moving the seq; the sync brings the changes in between.
      page.state = 'upsert' in result ? applyNewer(page.state, result.upsert) : applyGone(page.state, id);
    }
    page.ops = settle(page.ops, op.request.broadcastId).ops;
    this.#clear(op.request.broadcastId);
    this.hub.changed(page);
    if (step.status === 'gap') this.hub.sync(page, step.full);
    this.hub.release(page);
  }

  /** Drops the op's overlay, tells the tabs why, and shows the confirmed state again. */
  fail(page: Page, op: PendingOp, error: ErrorBody & { current?: Conversation }, reconcile = false): void {
    this.#clear(op.request.broadcastId);
    const settled = settle(page.ops, op.request.broadcastId);
    page.unsent = page.unsent.filter((o) => o !== op);
    if (settled.op === null) return;
    page.ops = settled.ops;
    const id = opTarget(op);
    if (error.current) page.state = applyNewer(page.state, error.current);
    if (error.code === 'gone') page.state = applyGone(page.state, id);
    for (const port of this.hub.portsOf(page)) {
      port.post({ type: 'op-failed', broadcastId: op.request.broadcastId, id, error: { code: error.code, message: error.message } });
    }
    this.hub.changed(page);
    // Without an answer the op may still have been applied: ask the server what is true.
    if (reconcile) this.hub.sync(page, false);
    this.hub.release(page);
  }

  #clear(broadcastId: string): void {
    const timer = this.#timers.get(broadcastId);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(broadcastId);
  }
}
