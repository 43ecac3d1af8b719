import { randomUUID } from 'node:crypto';
import type { Runtime } from 'webextension-polyfill';
import { expect, it, vi } from 'vitest';
import type { Conversation } from '../../../protocol/model.js';
import { pagePortName } from '../../../protocol/runtime.js';
import { acceptPagePort } from '../../../extension/background/ports.js';
import { TabHistory } from '../../../extension/background/tab-history.js';
import { FakePort } from '../content/fake-port.js';
import { SessionStorage } from '../../support/session-area.js';
import { startWorker, WorkerStorage } from '../../support/worker.js';

/**
 * A tab's `seen` (the user opened a conversation marked new, background/visit.ts) reaches the visit
 * of the page its port is on, taken from the port, never from the message: one that names a page, or
 * anything but a conversation id, is dropped at the door. The real Hub of an idle worker; the
 * browser's port is the one thing stood in for.
 */
const RUNTIME = 'gloss-extension-id';
const BEN = { id: 'ben', name: 'Ben' };

function tabPort(url: string): FakePort & Runtime.Port {
  const sender = { id: RUNTIME, url, frameId: 0, tab: { id: 3 } as Runtime.MessageSender['tab'] };
  return Object.assign(new FakePort(), { name: pagePortName(url), sender }) as unknown as FakePort & Runtime.Port;
}

const chat = (id: string): Conversation => ({
  id, target: { selector: [{ type: 'TextQuoteSelector', exact: 'q' }] }, author: BEN, createdAt: 1, revision: 1, resolved: false,
  comments: [{ id, author: BEN, text: 'x', createdAt: 1 }],
});

it('a `seen` over a page port takes the mark off that page\'s visit; one naming another page, or no conversation id, is dropped', async () => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  const w = startWorker('http://127.0.0.1:9', new WorkerStorage(), { anonymousId: randomUUID(), name: 'Ann' }, { idle: true });
  const lifetime = new AbortController();
  try {
    const url = `https://example.com/seen-${randomUUID()}`;
    const port = tabPort(url);
    acceptPagePort(port, w.hub, new TabHistory(new SessionStorage()), RUNTIME, () => {}, () => {}, lifetime.signal);
    const page = w.hub.pages.get(url.replace('https://', ''))!;
    await page.loaded;
    const [a, b] = [randomUUID(), randomUUID()];
    page.visit.begin({});
    page.visit.inStep({ [a]: chat(a), [b]: chat(b) }, 'ann');
    expect([...page.visit.unseen!.keys()]).toEqual([a, b]);

    port.deliver({ type: 'seen', id: b, madeOn: `https://example.com/elsewhere-${randomUUID()}` });
    port.deliver({ type: 'seen', id: 'not-a-conversation' });
    port.deliver({ type: 'seen', id: a });
    expect([...page.visit.unseen!.keys()]).toEqual([b]);
  } finally {
    lifetime.abort();
    w.stop();
    vi.restoreAllMocks();
  }
});
