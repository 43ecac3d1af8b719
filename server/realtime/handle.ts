import { ProtocolError, failure, type Failure } from '../../protocol/errors.js';
import type { ClientToServerEvents } from '../../protocol/events.js';
import type { Context, GlossSocket } from './context.js';

type AckOf<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
export type Handler<E extends keyof ClientToServerEvents> = (ctx: Context, socket: GlossSocket, payload: unknown) => Promise<AckOf<E>> | AckOf<E>;

/**
 * A `page:leave` of a page this socket is on, named by the URL its join sent, is never refused by the
 * rate limit, nor charged to it: the client sends it once and does not retry, and a refused leave would
 * keep its user counted on the page (presence) for as long as the socket stays up, which is as long as
 * any other tab of that browser is open. Any other leave is charged like every operation. They all
 * used to be free, and a leave costs what a join does (its URL is parsed: up to 0.4 ms for one of
 * 4,096 characters with two thousand query parameters; 4-6 ms before protocol/url.ts read queries
 * byte by byte), so one connection sending leaves of made-up URLs in a loop held the server's
 * event loop for everyone: measured here (before that), 3,000 of them kept another
 * client's `page:sync` waiting 4.6 s (test/server/leave-budget.test.ts). The lookup is by the raw URL
 * (SocketData.joinedUrls), so deciding costs no parse.
 */
function leavesJoinedPage(socket: GlossSocket, event: string, payload: unknown): boolean {
  if (event !== 'page:leave' || typeof payload !== 'object' || payload === null) return false;
  const { url } = payload as { url?: unknown };
  if (typeof url !== 'string') return false;
  const pageKey = socket.data.joinedUrls.get(url);
  return pageKey !== undefined && socket.data.pages.has(pageKey);
}

/**
 * Wires one event: rate limit, run the handler (which validates, persists, acknowledges by return,
 * and broadcasts after), and turn any failure into the `{ ok: false, error }` acknowledgement.
 * Broadcasting happens in `afterAck`, which runs once the acknowledgement has been handed to the socket.
 */
export function on<E extends keyof ClientToServerEvents>(ctx: Context, socket: GlossSocket, event: E, handler: Handler<E>): void {
  (socket.on as (ev: string, fn: (...args: unknown[]) => void) => void)(event, async (...args: unknown[]) => {
    const ack = args[args.length - 1];
    if (typeof ack !== 'function') {
      // Counted like any operation: unbudgeted, each such frame wrote a log line, and a client
      // sending them in a loop filled the operator's disk faster than anything it could store.
      if (socket.data.bucket.take()) ctx.log.warn('event_without_ack', { socket: socket.id, op: event });
      return;
    }
    let result: AckOf<E> | Failure;
    try {
      if (!leavesJoinedPage(socket, event, args[0]) && !socket.data.bucket.take()) throw new ProtocolError('rate_limited', 'too many operations; slow down');
      // A caller that waits for an answer gets one: an event with its payload missing, or with more
      // than one, is refused like any other bad payload instead of being left unanswered.
      if (args.length !== 2) throw new ProtocolError('invalid', `${event} takes one payload and an acknowledgement`);
      result = await handler(ctx, socket, args[0]);
    } catch (err) {
      result = toFailure(ctx, socket, event, err);
    }
    const after = afterAck.get(result as object);
    afterAck.delete(result as object);
    (ack as (r: unknown) => void)(result);
    after?.();
  });
}

/**
 * Answers an event the server has no handler for (`known` says which it has) with `invalid`, when it
 * asks for an answer: a client calling a misspelt or newer event learns so at once instead of waiting
 * for an answer that never comes. Charged to the rate limit like any operation; one without an
 * acknowledgement is dropped unlogged. The name is the client's text: only its first 64 characters
 * are echoed back, and none is logged.
 */
export function refuseUnknownEvents(socket: GlossSocket, known: (event: string) => boolean): void {
  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && known(event)) return;
    const ack = args[args.length - 1];
    const allowed = socket.data.bucket.take();
    if (typeof ack !== 'function') return;
    (ack as (r: unknown) => void)(
      allowed ? failure('invalid', `no such event: ${JSON.stringify(String(event).slice(0, 64))}`) : failure('rate_limited', 'too many operations; slow down'),
    );
  });
}

const afterAck = new WeakMap<object, () => void>();

/** Registers work (a broadcast) to run right after the acknowledgement went out. */
export function thenBroadcast<T extends object>(result: T, work: () => void): T {
  afterAck.set(result, work);
  return result;
}

function toFailure(ctx: Context, socket: GlossSocket, event: string, err: unknown): Failure {
  // Before ProtocolError (a StorageFault is one): logged once per kind, not once per operation.
  const fault = ctx.storage.failed(err, event);
  if (fault) return failure(fault.code, fault.message);
  if (err instanceof ProtocolError) {
    ctx.log.debug('rejected', { socket: socket.id, op: event, code: err.code, message: err.message });
    const extra = (err as ProtocolError & { current?: unknown }).current;
    const body = failure(err.code, err.message);
    if (extra !== undefined) (body.error as Failure['error'] & { current?: unknown }).current = extra;
    return body;
  }
  ctx.log.error('handler_failed', { socket: socket.id, op: event, error: err });
  return failure('internal', 'the server failed; nothing was changed');
}
