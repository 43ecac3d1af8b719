// @vitest-environment jsdom
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { render } from 'preact';
import type { ContentToBackground, LocalConversation } from '../../../protocol/runtime.js';
import { App } from '../../../extension/content/ui/App.js';
import { startTestController } from './controller-harness.js';
import type { FakePort } from './fake-port.js';
import { ALICE } from './fixtures.js';

/**
 * What a screen-reader user hears of their own doing, through the real controller and UI (only the
 * browser's port is stood in for): the polite status region tells that a selection can be annotated,
 * that their comment or reply was posted, or that it waits in the browser while Gloss is offline.
 */
let controller: AbortController;

beforeEach(() => {
  vi.useFakeTimers();
  // jsdom lays nothing out and has no scrollIntoView (the panel scrolls to a new conversation).
  Element.prototype.scrollIntoView ??= () => {};
  document.body.innerHTML = '<p>alpha beta gamma</p>';
});

afterEach(() => {
  controller.abort();
  document.getSelection()?.removeAllRanges();
  document.body.innerHTML = '';
  vi.useRealTimers();
});

function start() {
  const started = startTestController((state, actions, mount) => render(<App state={state} actions={actions} />, mount));
  controller = started.controller;
  const { ports, view, ui } = started;
  controller.signal.addEventListener('abort', () => render(null, ui.mount), { once: true });
  const find = (id: string) => ui.mount.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  /** What the status region says now, and the role it says it with. */
  const heard = () => {
    const region = find('announcer')!;
    return { role: region.getAttribute('role'), text: region.textContent!.trim() };
  };
  const port = () => ports.at(-1)!;
  const sent = <T extends ContentToBackground['type']>(type: T) => port().sent.filter((m) => (m as ContentToBackground).type === type).at(-1) as Extract<ContentToBackground, { type: T }>;
  return { find, heard, port, sent, actions: () => view.actions! };
}

/** Lets the port's messages, the render and the UI's effects run. */
const settle = () => vi.advanceTimersByTimeAsync(200);

/** The page live, with one conversation of Alice's on "beta" (its ids told apart by `tag`, one hex digit). */
async function liveWith(port: FakePort, tag: string): Promise<LocalConversation> {
  const c: LocalConversation = {
    id: `00000000-0000-4000-8000-00000000${tag}001`,
    target: { selector: [{ type: 'TextQuoteSelector', exact: 'beta' }] },
    author: ALICE,
    createdAt: 1,
    revision: 1,
    resolved: false,
    comments: [{ id: `00000000-0000-4000-8000-00000000${tag}002`, author: ALICE, text: 'opening', createdAt: 1 }],
  };
  port.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
  port.deliver({ type: 'snapshot', pageKey: 'localhost/', conversations: [c] });
  await settle();
  return c;
}

async function select(word: string) {
  const text = document.querySelector('p')!.firstChild as Text;
  const at = text.data.indexOf(word);
  const range = document.createRange();
  range.setStart(text, at);
  range.setEnd(text, at + word.length);
  document.getSelection()!.removeAllRanges();
  document.getSelection()!.addRange(range);
  document.dispatchEvent(new Event('selectionchange'));
  await settle();
}

it('tells a selection can be annotated, then that the comment and each reply were posted once the server has them', async () => {
  const { find, heard, port, sent, actions } = start();
  await settle();
  port().deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
  port().deliver({ type: 'snapshot', pageKey: 'localhost/', conversations: [] });
  await settle();
  expect(heard()).toEqual({ role: 'status', text: '' });

  await select('beta');
  expect(find('annotate-button')).not.toBeNull();
  expect(heard().text).toBe('Press A to annotate the selected text');

  actions().openComposer();
  expect(actions().submitComposer('about beta')).toBeNull();
  await settle();
  const create = sent('create');
  const mine: LocalConversation = {
    id: create.chat.id,
    target: create.chat.target,
    author: ALICE,
    createdAt: 1,
    revision: 1,
    resolved: false,
    comments: [{ id: create.chat.id, author: ALICE, text: 'about beta', createdAt: 1 }],
  };
  // The worker's copy, not yet answered by the server: not posted.
  port().deliver({ type: 'upsert', conversation: { ...mine, pending: true } });
  await settle();
  expect(heard().text).not.toMatch(/posted/);
  port().deliver({ type: 'upsert', conversation: mine });
  await settle();
  expect(heard().text).toBe('Your comment was posted');

  const replied = async (text: string, revision: number) => {
    expect(actions().reply(mine.id, text)).toBeNull();
    const update = sent('update');
    if (!('addComment' in update.changes)) throw new Error('not a reply');
    const comment = update.changes.addComment;
    mine.revision = revision;
    mine.comments = [...mine.comments, { id: comment.id, author: ALICE, text, createdAt: revision }];
    await settle();
    port().deliver({ type: 'upsert', conversation: { ...mine, comments: [...mine.comments] } });
    await settle();
    return heard().text;
  };
  expect(await replied('one more', 2)).toBe('Your reply was posted');
  const before = find('announcer')!.textContent;
  // A second reply says the same words: still a change the screen reader reads.
  expect(await replied('and another', 3)).toBe('Your reply was posted');
  expect(find('announcer')!.textContent).not.toBe(before);
});

it('a refused reply is an alert, never "posted"; one written while offline is told to be kept for later', async () => {
  const { find, heard, port, sent, actions } = start();
  await settle();
  const theirs = await liveWith(port(), 'a');

  expect(actions().reply(theirs.id, 'too late')).toBeNull();
  const update = sent('update');
  port().deliver({ type: 'op-failed', broadcastId: update.broadcastId, id: theirs.id, error: { code: 'gone', message: 'deleted' } });
  port().deliver({ type: 'upsert', conversation: { ...theirs, revision: 2 } });
  await settle();
  expect(find('error')!.closest('[role="alert"]')).not.toBeNull();
  expect(heard().text).not.toMatch(/posted/);

  // A second refusal in the same words changes the alert all the same: it is heard again.
  const first = find('error')!.textContent!;
  expect(actions().reply(theirs.id, 'too late again')).toBeNull();
  port().deliver({ type: 'op-failed', broadcastId: sent('update').broadcastId, id: theirs.id, error: { code: 'gone', message: 'deleted' } });
  await settle();
  expect(find('error')!.textContent).not.toBe(first);
  expect(find('error')!.textContent!.trim()).toBe(first.trim());

  port().deliver({ type: 'connection', state: 'offline', reason: null, self: ALICE, role: null });
  await settle();
  expect(actions().reply(theirs.id, 'written offline')).toBeNull();
  await settle();
  expect(heard().text).toBe('Your reply is not sent yet: it is kept in this browser and sent when Gloss is back online');
});

it('two tellings in one render both reach the status, in turn; the next telling is heard alone, without the old ones', async () => {
  const { heard, port, sent, actions } = start();
  await settle();
  const mine = await liveWith(port(), 'b');
  port().deliver({ type: 'connection', state: 'offline', reason: null, self: ALICE, role: null });
  await settle();
  expect(actions().reply(mine.id, 'written offline')).toBeNull();
  await settle();
  const update = sent('update');
  if (!('addComment' in update.changes)) throw new Error('not a reply');
  const reply = update.changes.addComment;

  // Back online, and the reply kept meanwhile confirmed, in the same messages: one render, two news.
  port().deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
  port().deliver({ type: 'upsert', conversation: { ...mine, revision: 2, comments: [...mine.comments, { id: reply.id, author: ALICE, text: 'written offline', createdAt: 2 }] } });
  await settle();
  expect(heard().text).toBe('Gloss is back online. Your reply was posted');

  await select('beta');
  expect(heard().text).toBe('Press A to annotate the selected text');
});
