import { afterEach } from 'vitest';
import { connect, type ConnectOptions, type TestSocket } from './clients.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/**
 * For a test file that starts a server of its own in each test and holds sockets on it: after each
 * test the sockets are closed and the server stopped. Call at the top level of the file.
 */
export function serverPerTest() {
  let current: ServerProcess | undefined;
  const sockets: TestSocket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await current?.stop();
    current = undefined;
  });
  const server = (): ServerProcess => {
    if (!current) throw new Error('this test started no server');
    return current;
  };
  return {
    async start(opts?: Parameters<typeof startServerProcess>[0]): Promise<ServerProcess> {
      current = await startServerProcess(opts);
      return current;
    },
    server,
    /** The sockets held, in the order they connected: each one `open` connects is added. */
    sockets,
    /** A connected socket, held until the end of the test (or until the test closes it). */
    async open(opts: ConnectOptions = {}): Promise<TestSocket> {
      const { socket } = await connect(server().url, opts);
      sockets.push(socket);
      return socket;
    },
  };
}

/** Handshake options carrying an `X-Forwarded-For`, from `localAddress` if given (any 127.x.y.z on Linux). */
export const xff = (forwardedFor: string, localAddress?: string): ConnectOptions => ({ extraHeaders: { 'x-forwarded-for': forwardedFor }, localAddress });
