import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeTemp } from './dist.js';

/**
 * A real network for one browser: Chromium runs in a network namespace of its own whose only link
 * is one end of a veth pair, the other end in the test's namespace, where the test's servers listen
 * on it. Taking that link down is what losing Wi-Fi is to the browser: the kernel tells Chromium's
 * network service (netlink) that no link is up, `navigator.onLine` turns false everywhere and every
 * packet to the servers goes nowhere; bringing it up undoes both.
 *
 * Why not DevTools' emulation (`Network.emulateNetworkConditions`, or `emulateNetworkConditionsByRule`
 * with `overrideNetworkState`, on the service worker's target or a page's): tried here on Chromium
 * 156, it turns the worker's `navigator.onLine` but leaves its open WebSocket connected and
 * exchanging frames, so nothing of the reconnection it is meant to test happens.
 *
 * Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN), as the e2e run has on these machines. Addresses are
 * in 10.231.0.0/16, one /30 per link, named with a random tag so parallel runs do not collide.
 */
export interface NetworkLink {
  /** The address on the test's side, where the servers the browser reaches must listen. */
  hostAddress: string;
  /** The namespace's name, for `ip netns exec` (support/firefox-network.ts runs its bridge there). */
  namespace: string;
  /** The folder of the wrapper scripts, removed by `close`. */
  dir: string;
  /** An executable that runs Debian's Chromium inside the namespace, for puppeteer's `executablePath`. */
  chromium: string;
  /** An executable that runs `executable` (its arguments passed on) inside the namespace. */
  wrap(name: string, executable: string): string;
  /** Chromium flags: `localhost` resolves to `hostAddress` (the extension allows plain http only to localhost). */
  chromiumArgs: string[];
  down(): void;
  up(): void;
  /** Removes the namespace (which deletes both ends of the link) and the wrapper. Never throws. */
  close(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

export function canMakeNetworkLink(): string | null {
  if (process.getuid?.() !== 0) return 'not root: a network namespace needs CAP_NET_ADMIN';
  try {
    ip('-V');
  } catch {
    return 'the `ip` command (iproute2) is missing';
  }
  return null;
}

export function startNetworkLink(chromiumPath: string): NetworkLink {
  const why = canMakeNetworkLink();
  if (why) throw new Error(`cannot give the browser a network of its own: ${why}`);
  const tag = randomBytes(3).toString('hex');
  const ns = `gloss-e2e-${tag}`;
  // Interface names are at most 15 characters.
  const outer = `gl${tag}o`;
  const inner = `gl${tag}i`;
  const block = 4 * (parseInt(tag.slice(0, 4), 16) % 64);
  const subnet = `10.231.${parseInt(tag.slice(4), 16)}`;
  const hostAddress = `${subnet}.${block + 1}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-e2e-netns-'));
  ip('netns', 'add', ns);
  const close = () => {
    try {
      ip('netns', 'del', ns);
    } catch {
      /* already gone */
    }
    try {
      ip('link', 'del', outer);
    } catch {
      /* deleted with the namespace */
    }
    removeTemp(dir);
  };
  try {
    ip('link', 'add', outer, 'type', 'veth', 'peer', 'name', inner);
    ip('link', 'set', inner, 'netns', ns);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', outer);
    ip('link', 'set', outer, 'up');
    ip('-n', ns, 'addr', 'add', `${subnet}.${block + 2}/30`, 'dev', inner);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('-n', ns, 'link', 'set', inner, 'up');
    // As on any real network. Firefox counts itself online only with a route out: without one its
    // `navigator.onLine` is false from the start (Chromium looks at the link alone). The kernel drops
    // the route when the link goes down; `up` puts it back, as DHCP would.
    ip('-n', ns, 'route', 'add', 'default', 'via', hostAddress);
    const wrap = (name: string, executable: string) => {
      const file = path.join(dir, `${name}-in-netns`);
      fs.writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${ns} ${executable} "$@"\n`, { mode: 0o755 });
      return file;
    };
    return {
      hostAddress,
      namespace: ns,
      dir,
      chromium: wrap('chromium', chromiumPath),
      wrap,
      chromiumArgs: [`--host-resolver-rules=MAP localhost ${hostAddress}`],
      down: () => void ip('-n', ns, 'link', 'set', inner, 'down'),
      up: () => {
        ip('-n', ns, 'link', 'set', inner, 'up');
        ip('-n', ns, 'route', 'replace', 'default', 'via', hostAddress);
      },
      close,
    };
  } catch (e) {
    close();
    throw e;
  }
}
