import type { PortLike } from '../../../extension/content/port/connection.js';

/** Stands in for the browser's runtime.Port (a browser API, not our code). */
export class FakePort implements PortLike {
  sent: unknown[] = [];
  alive = true;
  /** What the background reads from `port.sender.url`: the tab's URL when the port was opened. */
  readonly senderUrl = typeof location === 'undefined' ? '' : location.href;
  private messageListeners = new Set<(m: unknown) => void>();
  private disconnectListeners = new Set<() => void>();
  onMessage = {
    addListener: (fn: (m: unknown) => void) => void this.messageListeners.add(fn),
    removeListener: (fn: (m: unknown) => void) => void this.messageListeners.delete(fn),
  };
  onDisconnect = {
    addListener: (fn: () => void) => void this.disconnectListeners.add(fn),
    removeListener: (fn: () => void) => void this.disconnectListeners.delete(fn),
  };
  postMessage(message: unknown) {
    if (!this.alive) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(message);
  }
  disconnect() {
    this.alive = false;
  }
  /** How many listeners are registered on the port, both events together. */
  get listeners(): number {
    return this.messageListeners.size + this.disconnectListeners.size;
  }
  /** The background sends a message. */
  deliver(message: unknown) {
    for (const fn of this.messageListeners) fn(message);
  }
  /** The worker stops: the browser disconnects the port from the other side. */
  drop() {
    this.alive = false;
    for (const fn of [...this.disconnectListeners]) fn();
  }
}
