import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { FIREFOX, type FirefoxLaunch } from './firefox.js';
import type { NetworkLink } from './network-link.js';

/**
 * Firefox ESR inside a network link's namespace (support/network-link.ts), so that taking the link
 * down is a real loss of network to it, while the test still drives it.
 *
 * Two things stand in the way, both bridged by one small Node process run in the namespace:
 * - puppeteer speaks WebDriver BiDi to Firefox over a WebSocket that Firefox opens on its own
 *   loopback, which inside the namespace the test cannot reach (and puppeteer has no pipe transport
 *   for Firefox), while a second link kept up for it would keep Firefox online. A Unix socket is a
 *   file, not an address of any namespace: the bridge listens on one and connects it to Firefox's
 *   loopback port, and the test listens on the same port number on its own loopback and passes
 *   each connection into the Unix socket. Puppeteer reads "listening on ws://127.0.0.1:<port>" from
 *   Firefox and connects there, none the wiser.
 * - the extension's settings take plain `http://` only for `localhost`, and Firefox resolves
 *   `localhost` to its loopback whatever it is told (Chromium takes `--host-resolver-rules`). So the
 *   bridge also listens on the namespace's loopback on each server port and forwards to the test's
 *   side of the link: every byte to the server still crosses the link, and with the link down the
 *   bridge's connection attempts fail (no route) as the browser's own would.
 */
export interface FirefoxBehindLink {
  /** For `launchFirefox`: the wrapper that runs Firefox in the namespace and the BiDi port to use. */
  launch: FirefoxLaunch;
  /** Connections Firefox has opened to the servers so far (each socket attempt is one), failed or not. */
  attempts(): number;
  /** Stops the bridge and the test's listener. Never throws. */
  close(): void;
}

/** Runs in the namespace: argv = unix socket, BiDi port, test's address, server ports... */
const BRIDGE = `
const net = require('node:net');
const [sock, bidi, host, ...ports] = process.argv.slice(1);
const join = (a, b) => {
  a.pipe(b); b.pipe(a);
  for (const [x, y] of [[a, b], [b, a]]) { x.on('error', () => y.destroy()); x.on('close', () => y.destroy()); }
};
let waiting = 1 + ports.length;
const ready = () => { if (--waiting === 0) process.stdout.write('ready\\n'); };
net.createServer((c) => join(c, net.connect(Number(bidi), '127.0.0.1'))).listen(sock, ready);
for (const p of ports) {
  net.createServer((c) => { process.stdout.write('attempt\\n'); join(c, net.connect(Number(p), host)); }).listen(Number(p), '127.0.0.1', ready);
}
`;

function joinSockets(a: net.Socket, b: net.Socket): void {
  a.pipe(b);
  b.pipe(a);
  for (const [x, y] of [[a, b], [b, a]] as const) {
    x.on('error', () => y.destroy());
    x.on('close', () => y.destroy());
  }
}

export async function firefoxBehindLink(link: NetworkLink, serverPorts: number[]): Promise<FirefoxBehindLink> {
  const sock = path.join(link.dir, 'bidi.sock');
  const outside = net.createServer((c) => joinSockets(c, net.connect(sock)));
  await new Promise<void>((resolve, reject) => outside.once('error', reject).listen(0, '127.0.0.1', resolve));
  const port = (outside.address() as net.AddressInfo).port;
  let bridge: ChildProcess | undefined;
  let out = '';
  const close = () => {
    bridge?.kill('SIGKILL');
    outside.close();
  };
  try {
    bridge = spawn('ip', ['netns', 'exec', link.namespace, process.execPath, '-e', BRIDGE, sock, String(port), link.hostAddress, ...serverPorts.map(String)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    bridge.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the bridge in ${link.namespace} did not start: ${stderr}`)), 10_000);
      bridge!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      bridge!.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the bridge in ${link.namespace} exited (${code}): ${stderr}`));
      });
    });
    return { launch: { executablePath: link.wrap('firefox', FIREFOX), debuggingPort: port }, attempts: () => out.split('attempt\n').length - 1, close };
  } catch (e) {
    close();
    throw e;
  }
}
