import { openPort, releasePort, type RuntimePort } from '../../protocol/port.js';
import type { PopupToBackground, TabState } from '../../protocol/runtime.js';
import { parseBackgroundMessage } from './tab-state.js';

export interface TabWatchEvents {
  /** The tab's state, pushed by the background when the port opens and whenever it changes. */
  state(state: TabState): void;
  /**
   * The port is up (`open`), dropped and being opened again (`lost`: the background was stopped or
   * restarted), or cannot be opened at all (`gone`: the extension was reloaded or removed).
   */
  link(link: 'open' | 'lost' | 'gone'): void;
}

/** Doubling from 100 ms to at most 2 s: a restarted background answers within a moment, and a popup is open only briefly. */
const retryDelay = (attempt: number) => Math.min(2_000, 100 * 2 ** Math.min(attempt, 5));

/**
 * The popup's port to the background for one tab (named by `connect`). The background sends the
 * tab's state when the port opens and whenever it changes: nothing here asks for it again, and no
 * timer runs while the port is up. When the background is stopped (MV3 stops an idle worker,
 * Firefox suspends its background), the port drops: it is opened again, which starts a fresh
 * background that sends the state anew.
 */
export function watchTab(connect: () => RuntimePort, events: TabWatchEvents, signal: AbortSignal): { openPanel(): Promise<boolean> } {
  let port: RuntimePort | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nextRequest = 0;
  /** `open-panel` requests waiting for their answer, by request id; a dropped port answers them all with false. */
  const waiting = new Map<number, (ok: boolean) => void>();

  const onMessage = (raw: unknown) => {
    if (signal.aborted) return;
    const message = parseBackgroundMessage(raw);
    if (message === null) return;
    attempt = 0;
    if (message.type === 'tab-state') {
      events.state(message.state);
      return;
    }
    waiting.get(message.request)?.(message.ok);
    waiting.delete(message.request);
  };

  const onDisconnect = () => {
    detach();
    if (signal.aborted) return;
    events.link('lost');
    timer = setTimeout(open, retryDelay(attempt++));
  };

  const listeners = { message: onMessage, disconnect: onDisconnect };

  /** Lets go of the port (closing it when `close`); a request still waiting is answered: not opened. */
  function detach(close = false): void {
    releasePort(port, listeners, close);
    port = null;
    for (const answer of waiting.values()) answer(false);
    waiting.clear();
  }

  function open(): void {
    if (signal.aborted) return;
    port = openPort(connect, listeners);
    events.link(port === null ? 'gone' : 'open');
  }

  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(timer);
      detach(true);
    },
    { once: true },
  );
  open();

  return {
    openPanel() {
      if (port === null) return Promise.resolve(false);
      const request = nextRequest++;
      const message: PopupToBackground = { type: 'open-panel', request };
      const answered = new Promise<boolean>((resolve) => waiting.set(request, resolve));
      try {
        port.postMessage(message);
      } catch {
        waiting.delete(request);
        return Promise.resolve(false);
      }
      return answered;
    },
  };
}
