import type { BackgroundToContent, ConnectionState, ContentToBackground, SeenNotice } from '../../../protocol/runtime.js';
import { openPort, releasePort, type RuntimePort } from '../../../protocol/port.js';
import { tryNormalizePageUrl, withoutAnchor } from '../../../protocol/url.js';
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

/** A change, with the address of the page it was made on (as the port's name writes it). */
interface Made {
  message: ContentToBackground;
  on: string;
}
/** Consecutive drops without a single message before we say `offline` (we keep retrying). */
const OFFLINE_AFTER = 4;

/**
 * The content script's one port to the background. The MV3 worker can be stopped at any moment,
 * which disconnects the port: then we report `reconnecting` at once (never a stale `live`; a tab the
 * background last told `offline` stays so, with its reason, test/e2e/network-firefox.test.ts), reconnect
 * with exponential backoff, and re-send what could not be posted, and what was posted but not yet
 * `received` (written to the worker's outbox): a worker stopped in that instant (Firefox suspends an
 * idle one every 30 s) would otherwise lose it with the port. A change made on a page the tab has
 * left since (a single-page app moved on while the port was down) goes over the new page's port
 * with that page's address (`madeOn`): the worker files it there if the tab's ports were opened on
 * that page, and refuses it otherwise (background/tab-history.ts). When the extension itself is gone
 * (reloaded or removed), `connect` throws and we stay `offline`.
 */
export function openConnection(
  connect: () => PortLike,
  events: ConnectionEvents,
  signal: AbortSignal,
  /** Reads why the port closed (Chrome logs "Unchecked runtime.lastError" unless someone does). */
  lastError: () => unknown = () => undefined,
  /**
   * The address the tab shows now, which a new port is named with: the background files what comes
   * over the port under that page, unless a change says it was made on another (`madeOn`).
   */
  address: () => string = () => '',
  /** When the first port may open: at once, or once a prerendered page is shown (prerender.ts). */
  whenShown: (start: () => void) => void = (start) => start(),
): { send(message: ContentToBackground): void; notify(message: SeenNotice): void; restart(): void; pause(): void } {
  let port: PortLike | null = null;
  /** The page key of the current port, which the worker files what it carries under. */
  let portPage: string | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const queue: Made[] = [];
  /** Posted, not yet `received`: sent again over the next port (the worker takes a repeat as the same op). */
  const unreceived: Made[] = [];
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
    const at = unreceived.findIndex((m) => m.message.broadcastId === broadcastId);
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
    portPage = tryNormalizePageUrl(address());
    queue.unshift(...unreceived.splice(0));
    flush();
  }

  /** The message as this port carries it: one made on another page names that page. */
  function onPort(made: Made): ContentToBackground {
    return tryNormalizePageUrl(made.on) === portPage ? made.message : { ...made.message, madeOn: made.on };
  }

  function flush() {
    while (port && queue.length > 0) {
      const made = queue[0]!;
      try {
        port.postMessage(onPort(made));
      } catch {
        // The port died between its disconnect and our noticing: the reconnect sends it.
        onDisconnect();
        return;
      }
      queue.shift();
      unreceived.push(made);
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
      // Callers check for a move first (content/page-moves.ts): the address is the page it was made on.
      queue.push({ message, on: withoutAnchor(address()) });
      flush();
    },
    /**
     * Posted now or never: a notice is not an operation (nothing in the worker's outbox, no `received`),
     * and one lost with a port only leaves a mark for the page's tabs opened later in the visit.
     */
    notify(message) {
      if (signal.aborted || port === null) return;
      try {
        port.postMessage(message);
      } catch {
        // The port is going; its disconnect reconnects.
      }
    },
  };
}
