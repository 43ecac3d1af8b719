import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackgroundToContent, ConnectionState, ContentToBackground } from '../../../protocol/runtime.js';
import { backoffDelay } from '../../../extension/content/port/backoff.js';
import { openConnection } from '../../../extension/content/port/connection.js';
import { FakePort } from './fake-port.js';
import { parseIncoming } from '../../../extension/content/port/validate.js';
import { ALICE, conversation, uuid } from './fixtures.js';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('parseIncoming', () => {
  it('accepts every well-formed message', () => {
    const good: BackgroundToContent[] = [
      { type: 'connection', state: 'live', reason: null, self: ALICE, role: null },
      { type: 'presence', viewers: 2, users: [ALICE] },
      { type: 'snapshot', pageKey: 'example.com/', conversations: [conversation()] },
      { type: 'upsert', conversation: conversation({ pending: true }) },
      { type: 'remove', id: uuid() },
      { type: 'op-failed', broadcastId: uuid(), id: uuid(), error: { code: 'conflict', message: 'edited meanwhile' } },
      { type: 'open-panel' },
      { type: 'received', broadcastId: uuid() },
    ];
    for (const m of good) expect(parseIncoming(m)).toEqual(m);
  });

  it('drops unknown or malformed messages with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(parseIncoming({ type: 'explode' })).toBeNull();
    expect(parseIncoming({ type: 'remove', id: 'not-a-uuid' })).toBeNull();
    expect(parseIncoming({ type: 'connection', state: 'live', reason: null, self: null, role: null, extra: 1 })).toBeNull();
    expect(parseIncoming('hello')).toBeNull();
    expect(parseIncoming(null)).toBeNull();
    expect(warn).toHaveBeenCalledTimes(5);
  });
});

describe('backoffDelay', () => {
  it('doubles up to a cap and jitters downwards only', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect(backoffDelay(50, () => 0)).toBe(10_000);
    expect(backoffDelay(2, () => 1)).toBe(800);
  });
});

describe('openConnection', () => {
  function setup() {
    vi.useFakeTimers();
    const ports: FakePort[] = [];
    const states: ConnectionState[] = [];
    const messages: BackgroundToContent[] = [];
    const controller = new AbortController();
    const connection = openConnection(
      () => {
        const p = new FakePort();
        ports.push(p);
        return p;
      },
      { portState: (s) => states.push(s), message: (m) => messages.push(m) },
      controller.signal,
    );
    return { ports, states, messages, controller, connection };
  }

  const create = (): ContentToBackground => ({
    type: 'create',
    broadcastId: uuid(),
    chat: { id: uuid(), target: { selector: [{ type: 'TextQuoteSelector', exact: 'x' }] }, text: 'hi' },
  });

  it('reports reconnecting as soon as the port drops, reconnects, and re-sends what failed', async () => {
    const { ports, states, messages, connection } = setup();
    expect(states).toEqual(['connecting']);
    ports[0]!.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
    expect(messages.at(-1)).toMatchObject({ type: 'connection', state: 'live' });

    ports[0]!.drop();
    expect(states).toEqual(['connecting', 'reconnecting']);
    const queued = create();
    connection.send(queued);
    expect(ports).toHaveLength(1);

    await vi.runOnlyPendingTimersAsync();
    expect(ports).toHaveLength(2);
    expect(ports[1]!.sent).toEqual([queued]);
    // Nothing says live until the background does.
    expect(states.at(-1)).toBe('reconnecting');
  });

  it('stays offline, saying nothing, when the port drops after the background said offline; live again only when it says so', async () => {
    const { ports, states, messages } = setup();
    ports[0]!.deliver({ type: 'connection', state: 'offline', reason: 'refused', self: null, role: null });
    // Firefox suspends the idle background: its next life says offline again.
    ports[0]!.drop();
    expect(states).toEqual(['connecting']);
    await vi.runOnlyPendingTimersAsync();
    expect(ports).toHaveLength(2);
    ports[1]!.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
    expect(messages.map((m) => m.type === 'connection' && m.state)).toEqual(['offline', 'live']);
    // Once it said something else, a drop reads reconnecting again.
    ports[1]!.drop();
    expect(states).toEqual(['connecting', 'reconnecting']);
  });

  it('posts again over the next port what the worker had not said `received` for when the port dropped', async () => {
    const { ports, messages, connection } = setup();
    const first = create();
    const second = create();
    connection.send(first);
    connection.send(second);
    ports[0]!.deliver({ type: 'received', broadcastId: first.broadcastId });
    // The worker is stopped with the second one posted but not written (Firefox's idle suspension).
    ports[0]!.drop();
    await vi.runOnlyPendingTimersAsync();
    expect(ports[1]!.sent).toEqual([second]);
    expect(messages, '`received` stays in the port').toEqual([]);

    // A refusal settles it too: nothing is posted again.
    const refused = { type: 'op-failed', broadcastId: second.broadcastId, id: uuid(), error: { code: 'invalid', message: 'no' } } as const;
    ports[1]!.deliver(refused);
    ports[1]!.drop();
    await vi.runOnlyPendingTimersAsync();
    expect(ports[2]!.sent).toEqual([]);
    expect(messages).toEqual([refused]);
  });

  it('keeps retrying while connecting fails, and stays offline once the extension is gone', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.useFakeTimers();
    const states: ConnectionState[] = [];
    let calls = 0;
    let first: FakePort | null = null;
    openConnection(
      () => {
        calls += 1;
        if (calls === 1) return (first = new FakePort());
        throw new Error('Extension context invalidated.');
      },
      { portState: (s) => states.push(s), message: () => {} },
      new AbortController().signal,
    );
    first!.drop();
    await vi.runAllTimersAsync();
    expect(states).toEqual(['connecting', 'reconnecting', 'offline']);
    expect(calls).toBe(2);
    expect(warn).toHaveBeenCalled();
  });

  it('drops invalid messages and delivers valid ones', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { ports, messages } = setup();
    ports[0]!.deliver({ type: 'upsert', conversation: { id: 'nope' } });
    ports[0]!.deliver({ type: 'open-panel' });
    expect(messages).toEqual([{ type: 'open-panel' }]);
  });

  it('stops everything on abort: no reconnect, no delivery', async () => {
    const { ports, states, messages, controller } = setup();
    controller.abort();
    expect(ports[0]!.alive).toBe(false);
    ports[0]!.deliver({ type: 'open-panel' });
    await vi.runAllTimersAsync();
    expect(ports).toHaveLength(1);
    expect(messages).toEqual([]);
    expect(states).toEqual(['connecting']);
  });
});

describe('openConnection across pages', () => {
  it('sends what was made on a page the tab has left over the new page\'s port, naming that page', async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let address = 'https://example.com/a';
    const ports: FakePort[] = [];
    const connection = openConnection(
      () => {
        const p = new FakePort();
        ports.push(p);
        return p;
      },
      { portState: () => {}, message: () => {} },
      new AbortController().signal,
      undefined,
      () => address,
    );
    const message = (): ContentToBackground => ({ type: 'delete', broadcastId: uuid(), id: uuid() });

    // Same page: what could not be posted goes out on the next port, as it was.
    ports[0]!.drop();
    const kept = message();
    connection.send(kept);
    await vi.runOnlyPendingTimersAsync();
    expect(ports[1]!.sent).toEqual([kept]);
    ports[1]!.deliver({ type: 'received', broadcastId: kept.broadcastId });

    // The tab moves to another page while the worker is away: the reconnect is that page's port, and
    // what was made on the old one says so (an anchor is not part of the page's address).
    ports[1]!.drop();
    const onA = message();
    address = 'https://example.com/a#section-2';
    connection.send(onA);
    address = 'https://example.com/b';
    await vi.runOnlyPendingTimersAsync();
    expect(ports[2]!.sent).toEqual([{ ...onA, madeOn: 'https://example.com/a' }]);

    // Same through restart(), which the controller calls when it notices the new URL; what was posted
    // and not yet `received` goes again too, each with the page it was made on.
    ports[2]!.drop();
    const onB = message();
    connection.send(onB);
    address = 'https://example.com/c';
    connection.restart();
    const onC = message();
    connection.send(onC);
    expect(ports[3]!.sent).toEqual([{ ...onA, madeOn: 'https://example.com/a' }, { ...onB, madeOn: 'https://example.com/b' }, onC]);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('openConnection against a background that never answers', () => {
  it('goes from reconnecting to offline while still retrying, and back once a message arrives', async () => {
    vi.useFakeTimers();
    vi.spyOn(console, 'debug').mockImplementation(() => {});
    const states: ConnectionState[] = [];
    const ports: FakePort[] = [];
    openConnection(
      () => {
        const p = new FakePort();
        ports.push(p);
        return p;
      },
      { portState: (s) => states.push(s), message: () => {} },
      new AbortController().signal,
    );
    for (let i = 0; i < 6; i++) {
      ports.at(-1)!.drop();
      await vi.runOnlyPendingTimersAsync();
    }
    expect(states.at(-1)).toBe('offline');
    expect(states).toContain('reconnecting');
    expect(ports).toHaveLength(7);
    ports.at(-1)!.deliver({ type: 'connection', state: 'live', reason: null, self: null, role: null });
    ports.at(-1)!.drop();
    expect(states.at(-1)).toBe('reconnecting');
  });
});
