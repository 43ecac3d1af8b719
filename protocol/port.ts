/**
 * The runtime port both ends of the extension's channels hold (content script → background, popup →
 * background), and the two steps of opening and letting go of one that both take the same way.
 */

/** The part of a runtime Port that is used; satisfied by webextension-polyfill's Port. */
export interface RuntimePort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(fn: (message: unknown) => void): void; removeListener(fn: (message: unknown) => void): void };
  onDisconnect: { addListener(fn: () => void): void; removeListener(fn: () => void): void };
}

export interface PortListeners {
  message(raw: unknown): void;
  disconnect(): void;
}

/** Opens a port and listens on it; null when the extension is gone (reloaded or removed), which `connect` says by throwing. */
export function openPort(connect: () => RuntimePort, listeners: PortListeners): RuntimePort | null {
  let port: RuntimePort;
  try {
    port = connect();
  } catch (error) {
    console.warn('[gloss] the extension is no longer available:', error instanceof Error ? error.message : String(error));
    return null;
  }
  port.onMessage.addListener(listeners.message);
  port.onDisconnect.addListener(listeners.disconnect);
  return port;
}

/** Stops listening on `port` and, when `close`, disconnects it (a port already gone is no error). */
export function releasePort(port: RuntimePort | null, listeners: PortListeners, close: boolean): void {
  if (port === null) return;
  port.onMessage.removeListener(listeners.message);
  port.onDisconnect.removeListener(listeners.disconnect);
  if (!close) return;
  try {
    port.disconnect();
  } catch {
    // Already gone.
  }
}
