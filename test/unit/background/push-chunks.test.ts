import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { BackgroundToContent, type LocalConversation } from '../../../protocol/runtime.js';
import { LIMITS } from '../../../protocol/limits.js';
import { Page, type TabPort } from '../../../extension/background/page.js';
import { diffView } from '../../../extension/background/pending.js';
import { PUSH_CHUNK_CHARS, PUSH_CHUNK_ITEMS, pushMessages } from '../../../extension/background/push-chunks.js';
import { applySnapshot, emptyPage } from '../../../extension/background/reducer.js';
import { chat, uuid } from './fixtures.js';

/** The view a tab builds from what it was sent, applied in order (content/state/store.ts does the same). */
function replay(messages: BackgroundToContent[], start: ReadonlyMap<string, LocalConversation> = new Map()): Map<string, LocalConversation> {
  const view = new Map(start);
  for (const m of messages) {
    if (m.type === 'upsert') view.set(m.conversation.id, m.conversation);
    else if (m.type === 'remove') view.delete(m.id);
    else if (m.type === 'changes') {
      for (const c of m.upserts) view.set(c.id, c);
      for (const id of m.removes) view.delete(id);
    }
  }
  return view;
}

const many = (n: number, from = 1, text = 'a typical comment of a sentence or two, as people write them on a page they read') =>
  Array.from({ length: n }, (_, i) => chat(uuid(from + i), text));

class Tab implements TabPort {
  readonly tabId = 1;
  readonly got: BackgroundToContent[] = [];
  post(message: BackgroundToContent): void {
    this.got.push(structuredClone(message));
  }
}

describe('pushMessages', () => {
  it('sends a single change alone, as an upsert or a remove, as live changes always went', () => {
    const one = chat(uuid(1));
    expect(pushMessages(diffView(new Map(), new Map([[one.id, one]])))).toEqual([{ type: 'upsert', conversation: one }]);
    expect(pushMessages(diffView(new Map([[one.id, 'x']]), new Map()))).toEqual([{ type: 'remove', id: one.id }]);
    expect(pushMessages(diffView(new Map(), new Map()))).toEqual([]);
  });

  it('sends a page full of conversations in a few bounded messages that the tab accepts and that build the same view', () => {
    const chats = many(LIMITS.conversationsPerPage);
    const after = new Map(chats.map((c) => [c.id, c]));
    const messages = pushMessages(diffView(new Map(), after));
    expect(messages.length, 'one message per conversation before').toBeLessThanOrEqual(Math.ceil(LIMITS.conversationsPerPage / PUSH_CHUNK_ITEMS));
    for (const m of messages) {
      expect(m.type).toBe('changes');
      expect(v.safeParse(BackgroundToContent, m).success, 'each passes the content script\'s schema').toBe(true);
      expect(JSON.stringify(m).length).toBeLessThanOrEqual(PUSH_CHUNK_CHARS + 200);
    }
    expect(replay(messages)).toEqual(after);
  });

  it('cuts by size: big conversations fill a message sooner, and one bigger than a message goes alone', () => {
    const big = many(40, 1, 'x'.repeat(20_000));
    const huge = chat(uuid(999), 'y'.repeat(PUSH_CHUNK_CHARS + 10));
    const after = new Map([...big, huge].map((c) => [c.id, c]));
    const messages = pushMessages(diffView(new Map(), after));
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) {
      if (m.type !== 'changes') throw new Error(`unexpected ${m.type}`);
      if (m.upserts.length > 1) expect(JSON.stringify(m).length).toBeLessThanOrEqual(PUSH_CHUNK_CHARS + 200);
    }
    expect(messages.some((m) => m.type === 'changes' && m.upserts.length === 1 && m.upserts[0]!.id === huge.id)).toBe(true);
    expect(replay(messages)).toEqual(after);
  });

  it('keeps the order of the diff: upserts, then removes, in chunks of at most so many ids', () => {
    const before = many(2_500);
    const shown = diffView(new Map(), new Map(before.map((c) => [c.id, c]))).shown;
    const kept = before.slice(0, 10).map((c) => ({ ...c, resolved: true }));
    const after = new Map([...kept, ...many(3, 10_000)].map((c) => [c.id, c]));
    const messages = pushMessages(diffView(shown, after));
    const removes = messages.flatMap((m) => (m.type === 'changes' ? m.removes : []));
    expect(removes).toHaveLength(2_490);
    expect(messages.every((m) => m.type === 'changes' && m.upserts.length + m.removes.length <= PUSH_CHUNK_ITEMS)).toBe(true);
    expect(replay(messages, new Map(before.map((c) => [c.id, c])))).toEqual(after);
  });
});

describe('Page.push', () => {
  it('tells a tab a joined page of 5,000 conversations in a few messages (20), and a live change after it in one', () => {
    const page = new Page('example.com/a', 'https://example.com/a', () => Promise.resolve(null));
    const tab = new Tab();
    page.push([tab]);
    const chats = many(LIMITS.conversationsPerPage);
    page.state = applySnapshot(emptyPage(page.key), 7, chats);
    page.push([tab]);
    expect(tab.got.length).toBeLessThanOrEqual(LIMITS.conversationsPerPage / PUSH_CHUNK_ITEMS);
    expect(replay(tab.got).size).toBe(LIMITS.conversationsPerPage);

    const one = tab.got.length;
    page.state = applySnapshot(page.state, 8, [...chats.slice(1), { ...chats[0]!, resolved: true }]);
    page.push([tab]);
    expect(tab.got.slice(one)).toEqual([{ type: 'upsert', conversation: { ...chats[0]!, resolved: true } }]);
  });
});
