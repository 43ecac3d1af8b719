import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, Session } from '../../protocol/events.js';
import type { Conversation } from '../../protocol/model.js';
import { decodeNewTextChat } from '../../protocol/wire.js';

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOptions {
  token?: string;
  anonymousId?: string;
  name?: string;
  extraHeaders?: Record<string, string>;
  auth?: Record<string, unknown>;
  /** PEM of a certificate authority to trust (a self-signed test certificate). */
  ca?: string;
  /** The local address to connect from (any 127.x.y.z on Linux): a client, or proxy, of its own. */
  localAddress?: string;
}

/** A socket that does not reconnect by itself (tests decide when), with the handshake `opts` ask for. */
function open(url: string, opts: ConnectOptions & { rejectUnauthorized?: boolean }, anonymousId: string): TestSocket {
  const auth = opts.auth ?? (opts.token ? { token: opts.token } : { anonymousId, name: opts.name ?? 'Tester' });
  // engine.io-client hands `localAddress` to the WebSocket in Node (its transport picks it), though
  // socket.io-client's types do not name it.
  const options: Parameters<typeof io>[1] & { localAddress?: string } = {
    transports: ['websocket'], auth, reconnection: false, forceNew: true, extraHeaders: opts.extraHeaders, localAddress: opts.localAddress, rejectUnauthorized: opts.rejectUnauthorized, ca: opts.ca,
  };
  return io(url, options);
}

/** A real socket.io-client over websocket, connected and with its `session` received. */
export async function connect(url: string, opts: ConnectOptions = {}): Promise<{ socket: TestSocket; session: Session; anonymousId: string }> {
  const anonymousId = opts.anonymousId ?? randomUUID();
  const socket = open(url, opts, anonymousId);
  const session = await new Promise<Session>((resolve, reject) => {
    socket.once('session', resolve);
    socket.once('connect_error', reject);
  });
  return { socket, session, anonymousId };
}

/** Resolves with the connect_error a refused handshake produces. */
export function connectError(url: string, opts: ConnectOptions & { rejectUnauthorized?: boolean } = {}): Promise<Error> {
  const socket = open(url, opts, opts.anonymousId ?? randomUUID());
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      socket.close();
      reject(new Error('connected, but a refusal was expected'));
    });
    socket.once('connect_error', (err) => {
      socket.close();
      resolve(err);
    });
  });
}

/** Emits with an acknowledgement, failing after `ms` instead of hanging a test. */
export function request<E extends keyof ClientToServerEvents>(
  socket: TestSocket,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0] | unknown,
  ms = 5_000,
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  return (socket.timeout(ms).emitWithAck as (ev: string, p: unknown) => Promise<never>)(event, payload);
}

/** What the server holds for page `url`, read by a socket of its own that joins the page and leaves. */
export async function conversationsOnServer(serverUrl: string, url: string): Promise<Conversation[]> {
  const client = await connect(serverUrl, { name: 'Reader' });
  try {
    return ((await request(client.socket, 'page:join', { url })) as { conversations: Conversation[] }).conversations;
  } finally {
    client.socket.close();
  }
}

/**
 * A broadcast's payload as an object: a `new-text-chat` tuple decoded by the protocol's decoder, as the
 * extension reads it. One that does not decode throws, which fails the test that received it.
 */
export function broadcastObject(event: string, payload: unknown): Record<string, unknown> {
  if (event !== 'new-text-chat') return payload as Record<string, unknown>;
  const decoded = decodeNewTextChat(payload);
  if (!decoded) throw new Error(`a new-text-chat that does not decode: ${JSON.stringify(payload)}`);
  return { ...decoded };
}

/** Records every broadcast a socket receives, in order, with batch frames unpacked and `new-text-chat` decoded. */
export function recorder(socket: TestSocket) {
  const events: { event: string; payload: Record<string, unknown> }[] = [];
  const waiters: (() => void)[] = [];
  const push = (event: string, payload: unknown) => {
    events.push({ event, payload: broadcastObject(event, payload) });
    for (const w of waiters.splice(0)) w();
  };
  for (const name of ['new-text-chat', 'updated-text-chat', 'deleted-text-chat', 'presence'] as const) {
    (socket.on as (ev: string, fn: (p: unknown) => void) => void)(name, (p) => push(name, p));
  }
  socket.on('text-chat-batch', (entries) => {
    for (const [name, payload] of entries) push(name, payload);
  });
  return {
    events,
    of: (name: string) => events.filter((e) => e.event === name).map((e) => e.payload),
    /** Waits until `predicate` holds over the recorded events. */
    async until(predicate: (all: typeof events) => boolean, ms = 5_000, what = 'events'): Promise<void> {
      const deadline = Date.now() + ms;
      while (!predicate(events)) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(events.map((e) => e.event))}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
  };
}

/** A typical conversation: 120-character quote, 32-character prefix and suffix, 200-character comment. */
export function typicalChat(url: string, id = randomUUID()) {
  const quote = 'Regression testing is re-running functional and non-functional tests to ensure that previously developed software still ';
  return {
    id,
    url,
    target: {
      selector: [
        { type: 'TextQuoteSelector' as const, exact: quote.slice(0, 120), prefix: 'The article opens by saying that ', suffix: ' performs after a change. It is a' },
        { type: 'TextPositionSelector' as const, start: 1200, end: 1320 },
      ],
    },
    text: 'This definition misses the point that regression suites grow without bound; teams need a selection strategy (risk-based or change-based) or the run time will eventually block every single release..'.padEnd(200, '.'),
  };
}
