import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../protocol/model.js';
import type { BackgroundToContent, ContentToBackground, LocalConversation } from '../../../protocol/runtime.js';
import { toPendingOp } from '../../../extension/background/operations.js';
import { Page } from '../../../extension/background/page.js';
import { opTarget, viewOf, type PendingOp } from '../../../extension/background/pending.js';
import {
  answerTarget,
  applyChanges,
  applyGone,
  applyNewer,
  applySnapshot,
  emptyPage,
  foldAnswer,
  MAX_TOMBSTONES,
  type AnswerResult,
  type PageState,
} from '../../../extension/background/reducer.js';
import type { ServerChange } from '../../../extension/background/server-schemas.js';
import { seeded } from '../../support/seeded.js';
import { bob, chat, commentAdded, created, deleted, resolvedChange, uuid } from './fixtures.js';

const where = { key: 'example.com/live', url: 'https://example.com/live' };
/** Few ids, so that events and ops keep meeting on the same conversations. */
const IDS = Array.from({ length: 6 }, (_, i) => uuid(i + 1));

/** What a tab shows after the messages a page pushed it (the content script's model, reduced to the view). */
function replay(tab: Map<string, LocalConversation>, message: BackgroundToContent): void {
  if (message.type === 'snapshot') {
    tab.clear();
    for (const c of message.conversations) tab.set(c.id, c);
  } else if (message.type === 'upsert') tab.set(message.conversation.id, message.conversation);
  else if (message.type === 'remove') tab.delete(message.id);
  else if (message.type === 'changes') {
    for (const c of message.upserts) tab.set(c.id, c);
    for (const id of message.removes) tab.delete(id);
  }
}

/** A page made again from the cache (null: none) and the outbox, its view read before they are (the popup may: popup.ts). */
async function loadedPage(state: PageState | null, ops: readonly PendingOp[] = []): Promise<Page> {
  const page = new Page(where.key, where.url, () => Promise.resolve(state), () => Promise.resolve(ops.map((op, order) => ({ broadcastId: op.request.broadcastId, order, op }))));
  expect(page.view().size).toBe(0);
  await page.loaded;
  return page;
}

/**
 * Random sequences of what moves a page in the worker, made the way page-sync.ts and operations.ts
 * make them (the reducer's functions through `change` with the ids they name, the setter for a state
 * replaced as a whole), checked after each step against viewOf(state, ops) made from scratch, and
 * what a tab shows after the pushes against both. The page's state is checked against `ref`, the
 * same steps taken by the reducer over the whole state, as the worker did before `change` wrote the
 * page's record in place; and every state given to the page or read from it is checked to stay as it
 * was (the page copies a record someone else may hold before writing into it). The state is read
 * only now and then: each read makes the next change copy the record, and the writes in place
 * between reads are what is tested.
 */
async function run(seed: number, steps: number): Promise<void> {
  const r = seeded(seed);
  const id = () => r.pick(IDS)!;
  let n = 0;
  const fresh = () => uuid(10_000 + ++n);
  let page = await loadedPage(null);
  let ref: PageState = emptyPage(where.key);
  /**
   * States given to the page or read from it lately, each with what its record held: the page writes
   * no other part in place, and conversation objects are never changed (a change is a new object).
   */
  const held: { state: PageState; entries: [string, Conversation][] }[] = [];
  const hold = (state: PageState) => {
    held.push({ state, entries: Object.entries(state.conversations) });
    if (held.length > 4) held.shift();
  };
  /** The ids whose entry in a held state's record is not what it was (none when the page left it alone). */
  const written = ({ state, entries }: (typeof held)[number]) => {
    const now = Object.entries(state.conversations);
    const ids = new Set([...entries, ...now].map(([cid]) => cid));
    return [...ids].filter((cid) => entries.find(([k]) => k === cid)?.[1] !== now.find(([k]) => k === cid)?.[1]);
  };
  /** A step through `change`, and the same step over the whole state. */
  const move = <R extends { readonly state: PageState }>(ids: readonly string[], step: (state: PageState) => R) => {
    page.change(ids, step);
    ref = step(ref).state;
  };
  /** A state replaced as a whole; the test keeps it (as `ref`). */
  const replace = (state: PageState) => {
    page.state = state;
    ref = state;
    hold(state);
  };
  let order = 0;
  const tab = new Map<string, LocalConversation>();
  const port = { tabId: 1, post: (m: BackgroundToContent) => replay(tab, m) };
  const serverChat = (cid: string): Conversation => chat(cid, `text ${fresh()}`, { revision: 1 + r.int(4), resolved: r.next() < 0.5 });
  const nextSeq = () => (ref.seq ?? 0) + 1 + (r.next() < 0.1 ? r.int(3) - 1 : 0);
  const change = (seq: number): ServerChange => {
    const cid = id();
    const revision = (ref.conversations[cid]?.revision ?? 1) + (r.next() < 0.8 ? 1 : 0);
    switch (r.int(5)) {
      case 0:
        return created(seq, cid, `created ${fresh()}`);
      case 1: {
        const restored = created(seq, cid, `restored ${fresh()}`);
        if (restored.type !== 'new-text-chat') return restored;
        const { revision, resolved, comments } = serverChat(cid);
        return { ...restored, chat: { ...restored.chat, restored: { revision, resolved, comments } } };
      }
      case 2:
        return resolvedChange(seq, cid, revision, r.next() < 0.5);
      case 3:
        return commentAdded(seq, cid, revision, fresh(), 'reply');
      default:
        return deleted(seq, cid);
    }
  };
  const message = (): ContentToBackground => {
    const cid = id();
    switch (r.int(5)) {
      case 0:
        return { type: 'create', broadcastId: fresh(), chat: { id: cid, target: chat(cid).target, text: `mine ${fresh()}` } };
      case 1:
        return { type: 'update', broadcastId: fresh(), id: cid, baseRevision: 1, changes: { resolved: r.next() < 0.5 } };
      case 2:
        return { type: 'update', broadcastId: fresh(), id: cid, changes: { addComment: { id: fresh(), text: 'my reply' } } };
      case 3:
        return { type: 'delete', broadcastId: fresh(), id: cid };
      default:
        return { type: 'restore', broadcastId: fresh(), id: cid };
    }
  };
  const answer = (): AnswerResult => {
    const k = r.int(3);
    return k === 0 ? { upsert: serverChat(id()) } : k === 1 ? { restore: serverChat(id()) } : { remove: id() };
  };

  for (let step = 0; step < steps; step++) {
    const what = r.int(16);
    let did: string;
    if (what <= 2) {
      // Broadcasts (page-sync.ts receive): in order, stale or with a gap.
      const first = nextSeq();
      const changes = Array.from({ length: 1 + r.int(3) }, (_, i) => change(first + i));
      move(changes.map((c) => c.id), (state) => applyChanges(state, changes));
      did = 'changes';
    } else if (what === 3) {
      // A join or sync answered with a snapshot (page-sync.ts #apply): the state replaced.
      const live = IDS.filter(() => r.next() < 0.6).map(serverChat);
      replace(applySnapshot(ref, (ref.seq ?? 0) + r.int(3), live));
      did = 'snapshot';
    } else if (what === 4) {
      // A sync from nothing: the changes over an empty state that keeps the tombstones.
      const changes = [change(1), change(2)];
      replace(applyChanges({ ...emptyPage(page.key), seq: 0, deleted: ref.deleted }, changes).state);
      did = 'sync from nothing';
    } else if (what === 5) {
      // Tombstones at their bound: the next deletion pushes the oldest out, and an op on it shows again.
      const filler = Array.from({ length: MAX_TOMBSTONES - 2 }, () => fresh());
      replace({ ...ref, deleted: [...IDS.filter(() => r.next() < 0.5), ...filler].slice(-MAX_TOMBSTONES) });
      did = 'tombstones at the bound';
    } else if (what === 6) {
      // The answer to our own op (operations.ts #answered).
      const result = answer();
      const answered = { seq: nextSeq(), unchanged: r.next() < 0.3, result };
      move([answerTarget(result)], (state) => foldAnswer(state, answered));
      did = 'answer';
    } else if (what === 7) {
      const current = serverChat(id());
      move([current.id], (state) => ({ state: applyNewer(state, current) }));
      did = 'newer';
    } else if (what === 8) {
      const gone = id();
      move([gone], (state) => ({ state: applyGone(state, gone) }));
      did = 'gone';
    } else if (what <= 11) {
      // A tab's op (operations.ts start), a restore showing the copy kept at the deletion.
      const m = message();
      if (m.type === 'delete') {
        const shown = page.view().get(m.id);
        if (shown !== undefined) page.rememberDeleted(shown);
      }
      page.addOp(toPendingOp(page, m, bob, 5_000 + step, page.view().get(m.type === 'create' ? m.chat.id : m.id)?.revision), order++);
      did = `op ${m.type}`;
    } else if (what === 12) {
      // Settled, failed or confirmed: out of the outbox.
      const op = r.pick(page.ops);
      if (op !== undefined) page.dropOp(op.request.broadcastId);
      did = 'op dropped';
    } else if (what === 13) {
      // A rebased edit (operations.ts #rebase, rebaseFollowers).
      const op = r.pick(page.ops.filter((o) => o.kind === 'update'));
      if (op !== undefined && op.kind === 'update') page.replaceOp({ ...op, seen: 7, request: { ...op.request, baseRevision: 7 } });
      did = 'op replaced';
    } else if (what === 14) {
      // A switch of account (stored-data.ts): the outbox emptied, the state too.
      page.dropOps();
      expect(page.view(), `seed ${seed}, step ${step} (outbox emptied)`).toEqual(viewOf(ref, page.ops));
      replace(emptyPage(page.key));
      did = 'scope switch';
    } else {
      // A worker restart: the page made again from the cache (or none, cleared) and the outbox; its tab reconnects.
      const cached = r.next() < 0.3 ? null : ref;
      page = await loadedPage(cached, page.ops);
      if (cached === null) ref = emptyPage(where.key);
      replay(tab, page.snapshot());
      page.markShown();
      did = 'restart';
    }
    const context = `seed ${seed}, step ${step} (${did})`;
    expect(page.view(), context).toEqual(viewOf(ref, page.ops));
    if (r.next() < 0.6) {
      page.push([port]);
      expect(tab, `${context}, pushed`).toEqual(viewOf(ref, page.ops));
    }
    if (r.next() < 0.2) {
      const read = page.state;
      expect(read, `${context}, the state`).toEqual(ref);
      hold(read);
    }
    for (const [i, h] of held.entries()) expect(written(h), `${context}, a state held (${held.length - i} back)`).toEqual([]);
  }
  page.push([port]);
  expect(tab, `seed ${seed}, the last push`).toEqual(viewOf(ref, page.ops));
  expect(page.state, `seed ${seed}, the last state`).toEqual(ref);
}

describe('the page’s live view', () => {
  it('equals viewOf made from scratch after every event and op of random sequences, and its pushes bring a tab to it', async () => {
    for (let seed = 1; seed <= 60; seed++) await run(seed, 150);
  });

  it('refuses a step that makes a conversation it was not given, and keeps the state as it was', async () => {
    const page = await loadedPage(applySnapshot(emptyPage(where.key), 3, [chat(IDS[0]!)]));
    const before = page.state;
    expect(() => page.change([IDS[0]!], (state) => applyChanges(state, [created(4, IDS[1]!)]))).toThrow(/did not name/);
    expect(page.state).toBe(before);
    expect(page.state).toEqual(applySnapshot(emptyPage(where.key), 3, [chat(IDS[0]!)]));
    expect([...page.view().keys()]).toEqual([IDS[0]!]);
  });

  it('is kept between pushes: an event changes the entries of the conversations it touched, and the push sends those alone', async () => {
    const chats = IDS.map((cid) => chat(cid));
    const page = await loadedPage(applySnapshot(emptyPage(where.key), 3, chats));
    const sent: BackgroundToContent[] = [];
    page.push([{ tabId: 1, post: (m) => sent.push(m) }]);
    const before = page.view();
    const first = before.get(IDS[0]!);
    const ops = page.ops.length;
    page.change([IDS[1]!], (state) => applyChanges(state, [resolvedChange(4, IDS[1]!, 2, true)]));
    sent.length = 0;
    page.push([{ tabId: 1, post: (m) => sent.push(m) }]);
    expect(page.view()).toBe(before);
    expect(page.view().get(IDS[0]!)).toBe(first);
    expect(sent).toEqual([{ type: 'upsert', conversation: page.view().get(IDS[1]!) }]);
    expect(page.view().get(IDS[1]!)?.resolved).toBe(true);
    expect(page.ops.length).toBe(ops);
    const op = toPendingOp(page, { type: 'delete', broadcastId: uuid(99), id: IDS[2]! }, bob, 1);
    page.addOp(op, 0);
    expect(page.view().has(opTarget(op))).toBe(false);
    expect(page.view()).toBe(before);
  });
});
