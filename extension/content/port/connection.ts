import type { BackgroundToContent, ConnectionState, ContentToBackground } from '../../../protocol/runtime.js';
import { openPort, releasePort, type RuntimePort } from '../../../protocol/port.js';
import { backoffDelay } from './backoff.js';
import { parseIncoming } from './validate.js';

/** The part of a runtime Port this needs (the popup's port needs the same). */
export type PortLike = RuntimePort;

/** What the port hands on: `received` is the port's own business. */
export type ContentMessage = Exclude<BackgroundToContent, { type: 'received' }>;

export interface ConnectionEvents {
  message(message: ContentMessage): void;
  /** The port's own state; a `connection` message from the background overrides it while the port is up. */
  portState(state: ConnectionState): void;
}

const MAX_QUEUED = 100;
/** Consecutive drops without a single message before we say `offline` (we keep retrying). */
const OFFLINE_AFTER = 4;

/**
 * The content script's one port to the background. The MV3 worker can be stopped at any moment,
 * which disconnects the port: then we report `reconnecting` at once (never a stale `live`; a tab the
 * background last told `offline` stays so, with its reason, test/e2e/network-firefox.test.ts), reconnect
 * with exponential backoff, and re-send what could not be posted, and what was posted but not yet
 * `received` (written to the worker's outbox): a worker stopped in that instant (Firefox suspends an
 * idle one every 30 s) would otherwise lose it with the port. When the extension itself is gone
 * (reloaded or removed), `connect` throws and we stay `offline`.
 */
export function openConnection(
  connect: () => PortLike,
  events: ConnectionEvents,
  signal: AbortSignal,
  /** Reads why the port closed (Chrome logs "Unchecked runtime.lastError" unless someone does). */
  lastError: () => unknown = () => undefined,
  /**
   * The page the tab shows now, as the background will read it from a new port's sender. What was
   * queued on one page must not go out over a port opened on another: it would be filed under that one.
   */
  page: () => unknown = () => null,
  /** When the first port may open: at once, or once a prerendered page is shown (prerender.ts). */
  whenShown: (start: () => void) => void = (start) => start(),
): { send(message: ContentToBackground): void; restart(): void; pause(): void } {
  let port: PortLike | null = null;
  /** page() when the last port was opened: what is in the queue was made there. */
  let queuedFor: unknown = page();
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const queue: ContentToBackground[] = [];
  /** Posted, not yet `received`: sent again over the next port of the same page (the worker drops a repeat). */
  const unreceived: ContentToBackground[] = [];
  /** The connection state the background last told this tab, over any port. */
  let told: ConnectionState | null = null;

  const onMessage = (raw: unknown) => {
    if (signal.aborted) return;
    const message = parseIncoming(raw);
    if (message === null) return;
    // A message proves the worker is up: the next drop starts the backoff from the beginning.
    attempt = 0;
    if (message.type === 'received' || message.type === 'op-failed') forget(message.broadcastId);
    if (message.type === 'received') return;
    if (message.type === 'connection') told = message.state;
    events.message(message);
  };

  function forget(broadcastId: string): void {
    const at = unreceived.findIndex((m) => m.broadcastId === broadcastId);
    if (at >= 0) unreceived.splice(at, 1);
  }

  const onDisconnect = () => {
    const why = lastError();
    if (why) console.debug('[gloss] port closed:', why instanceof Error || (typeof why === 'object' && why !== null && 'message' in why) ? (why as { message: unknown }).message : why);
    detach();
    if (signal.aborted) return;
    // A worker that keeps refusing us (or no background at all) is offline, not forever "reconnecting".
    if (attempt >= OFFLINE_AFTER) events.portState('offline');
    // The background said `offline` (no network, or its server cannot be reached or turned it away)
    // and went: a stopped worker is no nearer to its server, and its next life says again. Saying
    // `reconnecting` meanwhile would be untrue, and Firefox suspends an idle background every 30 s,
    // so an offline tab's bar would blink to it and back every half minute, its reason lost.
    else if (told !== 'offline') events.portState('reconnecting');
    schedule();
  };

  const listeners = { message: onMessage, disconnect: onDisconnect };

  function detach() {
    releasePort(port, listeners, false);
    port = null;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(open, backoffDelay(attempt++));
  }

  function open() {
    if (signal.aborted) return;
    port = openPort(connect, listeners);
    if (port === null) {
      events.portState('offline');
      return;
    }
    const now = page();
    if (now !== queuedFor) {
      // Unsent, or not known to be written, on a page this tab has left: the worker would file them
      // under the page of the new port. (Those posted were most likely received.)
      if (queue.length > 0) console.warn(`[gloss] dropped ${queue.length} change(s) made on a page this tab has left`);
      queue.length = 0;
      unreceived.length = 0;
    } else {
      queue.unshift(...unreceived.splice(0));
    }
    queuedFor = now;
    flush();
  }

  function flush() {
    while (port && queue.length > 0) {
      const message = queue[0]!;
      try {
        port.postMessage(message);
      } catch {
        // The port died between its disconnect and our noticing: the reconnect sends it.
        onDisconnect();
        return;
      }
      queue.shift();
      unreceived.push(message);
      if (unreceived.length > MAX_QUEUED) unreceived.shift();
    }
  }

  /** Lets go of the current port (and any pending reconnect). */
  function dropPort(): void {
    clearTimeout(timer);
    releasePort(port, listeners, true);
    port = null;
  }

  signal.addEventListener('abort', dropPort, { once: true });

  let started = false;
  events.portState('connecting');
  whenShown(() => {
    if (started || signal.aborted) return;
    started = true;
    open();
  });

  return {
    /** A fresh port, named with the page's new address (same-document navigation): the background files it under that page. */
    restart() {
      // Not shown yet: the first port reads the address when it opens.
      if (signal.aborted || !started) return;
      dropPort();
      attempt = 0;
      told = null;
      events.portState('connecting');
      open();
    },
    /** Lets go of the port until `restart`: the page is put away in the back/forward cache. */
    pause() {
      dropPort();
    },
    send(message) {
      if (signal.aborted) return;
      if (queue.length >= MAX_QUEUED) queue.shift();
      queue.push(message);
      flush();
    },
  };
}
