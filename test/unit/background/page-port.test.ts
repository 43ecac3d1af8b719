import { randomUUID } from 'node:crypto';
import type { Runtime } from 'webextension-polyfill';
import { expect, it } from 'vitest';
import { pagePortName } from '../../../protocol/runtime.js';
import { acceptPagePort } from '../../../extension/background/ports.js';
import { FakePort } from '../content/fake-port.js';
import { TabHistory } from '../../../extension/background/tab-history.js';
import { SessionStorage } from '../../support/session-area.js';
import { startWorker, WorkerStorage } from '../../support/worker.js';

/**
 * A tab's port registers its listeners with the worker's lifetime, as every listener of the worker
 * does: they go when the port disconnects, and when the worker is torn down. The real Hub of an idle
 * worker (no socket: nothing here needs a server); the browser's port is the one thing stood in for.
 */
const RUNTIME = 'gloss-extension-id';

function tabPort(url: string): FakePort & Runtime.Port {
  const sender = { id: RUNTIME, url, frameId: 0, tab: { id: 3 } as Runtime.MessageSender['tab'] };
  return Object.assign(new FakePort(), { name: pagePortName(url), sender }) as unknown as FakePort & Runtime.Port;
}

it('a page port\'s listeners go when it disconnects, or when the worker\'s lifetime ends', () => {
  const w = startWorker('http://127.0.0.1:9', new WorkerStorage(), { anonymousId: randomUUID(), name: 'Ann' }, { idle: true });
  try {
    const lifetime = new AbortController();
    const history = new TabHistory(new SessionStorage());
    let open = 0;
    const url = `https://example.com/port-${randomUUID()}`;

    const first = tabPort(url);
    acceptPagePort(first, w.hub, history, RUNTIME, () => open++, () => open--, lifetime.signal);
    expect(first.listeners).toBe(2);
    expect(w.hub.rooms.size).toBe(1);
    first.drop();
    expect(first.listeners).toBe(0);
    expect(w.hub.rooms.size).toBe(0);
    expect(open).toBe(0);

    const second = tabPort(url);
    acceptPagePort(second, w.hub, history, RUNTIME, () => open++, () => open--, lifetime.signal);
    expect(second.listeners).toBe(2);
    lifetime.abort();
    expect(second.listeners).toBe(0);

    // A port that reaches a worker already torn down is not taken.
    const late = tabPort(url);
    acceptPagePort(late, w.hub, history, RUNTIME, () => open++, () => open--, lifetime.signal);
    expect(late.listeners).toBe(0);
  } finally {
    w.stop();
  }
});
