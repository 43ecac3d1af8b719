// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import type { LocalConversation } from '../../../protocol/runtime.js';
import { draftOf, editDraftOf } from '../../../extension/content/state/drafts.js';
import { byId, container, startPanelWith } from './app-harness.js';
import { ALICE, BOB, conversation, uuid } from './fixtures.js';

/**
 * Drafts of conversations and comments that are deleted (state/deletions.ts), through the real
 * controller and UI: a reader writing in a conversation someone else deletes keeps their words on
 * screen until they close it; every other draft of something deleted is dropped.
 */

let teardown: AbortController;
const startUrl = location.href;
beforeEach(() => {
  teardown = new AbortController();
  document.body.insertAdjacentText('afterbegin', 'alpha beta quoted words gamma');
});
afterEach(() => {
  teardown.abort();
  document.body.textContent = '';
  history.replaceState(null, '', startUrl);
});

const panelWith = (...conversations: LocalConversation[]) => startPanelWith(teardown.signal, ...conversations);

/** The worker stops: the tab's port drops, and the tab opens the next one after its backoff (a real timer, under a second). */
async function workerRestarts(app: Awaited<ReturnType<typeof panelWith>>) {
  const count = app.ports.length;
  app.ports.at(-1)!.drop();
  while (app.ports.length === count) await app.settle();
  return app.ports.at(-1)!;
}

/** A single-page app's router moves the tab to `path` (popstate is what the content script hears of it). */
function navigate(path: string) {
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

const thread = (id: string) => byId(document, 'conversation').find((e) => e.dataset.id === id);
const replyField = (id: string) => byId(thread(id)!, 'reply-input')[0] as HTMLTextAreaElement;
const type = (field: HTMLTextAreaElement, text: string) =>
  act(() => {
    field.value = text;
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });

/**
 * The user's conversation with their own reply, a reply being typed in it, and a worker that has
 * just started again and listed nothing of the page yet: the conversation is unconfirmed.
 */
async function restartedWhileWriting() {
  const mine = { id: uuid(), author: ALICE, text: 'my reply', createdAt: 2 };
  const c = conversation({ author: ALICE, comments: [{ id: uuid(), author: ALICE, text: 'opening', createdAt: 1 }, mine] });
  const app = await panelWith(c);
  type(replyField(c.id), 'half a thought');
  const back = await workerRestarts(app);
  back.deliver({ type: 'connection', state: 'connecting', reason: null, self: ALICE, role: null });
  back.deliver({ type: 'snapshot', pageKey: 'k', conversations: [] });
  await app.settle();
  return { mine, c, app, back };
}

describe('a conversation deleted while the user writes in it', () => {
  it('stays on screen with the reply typed, says it was deleted, and goes with its draft when closed', async () => {
    const c = conversation({ author: BOB, target: { selector: [{ type: 'TextQuoteSelector', exact: 'beta' }] } });
    const other = conversation({ author: BOB, target: { selector: [{ type: 'TextQuoteSelector', exact: 'gamma' }] } });
    const { port, settle } = await panelWith(c, other);
    type(replyField(c.id), 'half a thought');
    type(replyField(other.id), 'kept for later');
    replyField(c.id).focus();

    // Bob deletes the conversation (deleted-text-chat reaches this tab as a remove).
    port.deliver({ type: 'remove', id: c.id });
    await settle();

    const kept = thread(c.id);
    expect(kept, 'the conversation being written in stays').toBeDefined();
    expect(kept!.dataset.deleted).toBe('true');
    expect(byId(kept!, 'deleted-note')[0]?.getAttribute('role')).toBe('alert');
    expect(replyField(c.id).value).toBe('half a thought');
    expect(document.activeElement, 'the same field, where the reader was').toBe(replyField(c.id));
    expect(replyField(c.id).readOnly, 'it can be copied, not sent').toBe(true);
    expect(byId(kept!, 'reply-submit')).toEqual([]);
    expect(byId(kept!, 'delete-conversation')).toEqual([]);

    // Closing the panel does not lose it: the words come back with the panel.
    act(() => byId(document, 'panel-toggle')[0]!.click());
    await settle();
    expect(byId(document, 'panel-toggle')[0]!.textContent, 'counted no more').toBe('Conversations (1)');
    act(() => byId(document, 'panel-toggle')[0]!.click());
    await settle();
    expect(replyField(c.id).value).toBe('half a thought');

    act(() => byId(thread(c.id)!, 'close-deleted')[0]!.click());
    await settle();
    expect(thread(c.id)).toBeUndefined();
    expect(draftOf(c.id), 'its draft went with it').toBe('');
    expect(draftOf(other.id), 'the other conversation\'s draft stays').toBe('kept for later');
  });

  it('is kept for a reader who had set their reply aside with the panel closed, and told when they open it', async () => {
    const c = conversation({ author: BOB });
    const { port, settle } = await panelWith(c);
    type(replyField(c.id), 'set aside');
    act(() => byId(document, 'panel-toggle')[0]!.click());
    await settle();

    port.deliver({ type: 'snapshot', pageKey: 'k', conversations: [] });
    await settle();
    act(() => byId(document, 'panel-toggle')[0]!.click());
    await settle();

    expect(thread(c.id)?.dataset.deleted).toBe('true');
    expect(byId(thread(c.id)!, 'deleted-note')).toHaveLength(1);
    expect(replyField(c.id).value).toBe('set aside');
  });
});

describe('a worker that starts again and sends the page before its resync with the server', () => {
  it('deletes nothing: the conversation being written in stays as it was, and is live again once the resync lists it', async () => {
    const c = conversation({ author: BOB, target: { selector: [{ type: 'TextQuoteSelector', exact: 'beta' }] } });
    const quiet = conversation({ author: BOB, target: { selector: [{ type: 'TextQuoteSelector', exact: 'gamma' }] } });
    const app = await panelWith(c, quiet);
    const { settle } = app;
    type(replyField(c.id), 'half a thought');
    replyField(c.id).focus();

    // The new worker's cache has nothing of the page yet: it says so before it has asked the server.
    const back = await workerRestarts(app);
    back.deliver({ type: 'connection', state: 'connecting', reason: null, self: ALICE, role: null });
    back.deliver({ type: 'snapshot', pageKey: 'k', conversations: [] });
    await settle();
    expect(thread(c.id)?.dataset.deleted, 'a list that is a reload is no deletion').toBe('false');
    expect(byId(document, 'deleted-note')).toEqual([]);
    expect(replyField(c.id).value).toBe('half a thought');
    expect(replyField(c.id).readOnly).toBe(false);
    expect(document.activeElement, 'the field was not taken away').toBe(replyField(c.id));
    expect(thread(quiet.id), 'nothing was being written in it: it waits for the resync, as before').toBeUndefined();

    // Sent now, the reply would reach a worker that does not know the conversation yet: held, with the words left in the field.
    act(() => byId(thread(c.id)!, 'reply-submit')[0]!.click());
    expect(back.sent.filter((m) => (m as { type: string }).type === 'update')).toEqual([]);
    expect(replyField(c.id).value).toBe('half a thought');

    // The resync: the worker pushes what the server has, then the page is in step.
    back.deliver({ type: 'upsert', conversation: c });
    back.deliver({ type: 'upsert', conversation: quiet });
    back.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
    await settle();
    expect(thread(c.id)?.dataset.deleted).toBe('false');
    expect(byId(document, 'deleted-note')).toEqual([]);
    expect(thread(quiet.id)).toBeDefined();
    expect(replyField(c.id).value).toBe('half a thought');
    act(() => byId(thread(c.id)!, 'reply-submit')[0]!.click());
    expect(back.sent).toContainEqual(expect.objectContaining({ type: 'update', id: c.id, changes: { addComment: expect.objectContaining({ text: 'half a thought' }) } }));
  });

  it('holds a comment deletion, a resolve and a conversation deletion too, saying why, until the resync lists it', async () => {
    const { mine, c, app, back } = await restartedWhileWriting();
    const changes = () => back.sent.filter((m) => ['update', 'delete'].includes((m as { type: string }).type));

    // Sent now, each would be refused as unknown (not_found), and the tab would say the conversation no longer exists.
    for (const button of ['delete-comment', 'resolve', 'delete-conversation']) {
      act(() => document.querySelector<HTMLButtonElement>('.error [aria-label="Dismiss"]')?.click());
      await app.settle();
      act(() => byId(thread(c.id)!, button)[0]!.click());
      if (button === 'delete-conversation') act(() => byId(thread(c.id)!, 'delete-conversation-confirm')[0]!.click());
      if (button === 'delete-comment') act(() => byId(thread(c.id)!, 'delete-comment-confirm')[0]!.click());
      await app.settle();
      expect(changes(), button).toEqual([]);
      expect(byId(document, 'error')[0]?.textContent, button).toMatch(/^Not sent: Gloss is still loading this conversation/);
    }
    expect(thread(c.id)?.dataset.deleted, 'the held deletion is not taken as the user\'s own').toBe('false');
    expect(replyField(c.id).value).toBe('half a thought');

    back.deliver({ type: 'upsert', conversation: c });
    back.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
    await app.settle();
    act(() => byId(thread(c.id)!, 'resolve')[0]!.click());
    act(() => byId(thread(c.id)!, 'delete-comment')[0]!.click());
    act(() => byId(thread(c.id)!, 'delete-comment-confirm')[0]!.click());
    act(() => byId(thread(c.id)!, 'delete-conversation')[0]!.click());
    act(() => byId(thread(c.id)!, 'delete-conversation-confirm')[0]!.click());
    expect(changes()).toEqual([
      expect.objectContaining({ type: 'update', id: c.id, changes: { resolved: true } }),
      expect.objectContaining({ type: 'update', id: c.id, changes: { deleteComment: { id: mine.id } } }),
      expect.objectContaining({ type: 'delete', id: c.id }),
    ]);
  });

  it('tells every press of a held action, the same words as the last one\'s included: each is a change to an alert, which a screen reader reads', async () => {
    const { c, app, back } = await restartedWhileWriting();
    act(() => byId(thread(c.id)!, 'edit-comment')[0]!.click());
    await app.settle();

    /**
     * What a screen reader hears of a press: the words of each alert that appeared or whose text
     * changed (an alert is read whole). An alert set to the words it already shows is no change:
     * the browser tells the screen reader nothing, and the user who pressed hears nothing.
     */
    const heard = async (button: string, at = 0): Promise<string[]> => {
      const changes: MutationRecord[] = [];
      const observer = new MutationObserver((records) => changes.push(...records));
      observer.observe(container, { childList: true, characterData: true, subtree: true });
      act(() => byId(thread(c.id)!, button)[at]!.click());
      await app.settle();
      changes.push(...observer.takeRecords());
      observer.disconnect();
      const alerts = new Set<Element>();
      for (const change of changes) {
        const at = change.target instanceof Element ? change.target : change.target.parentElement;
        const changed = at?.closest('[role="alert"]');
        if (changed) alerts.add(changed);
        for (const node of change.addedNodes) {
          if (node instanceof Element) for (const added of [node, ...node.querySelectorAll('*')]) if (added.matches('[role="alert"]')) alerts.add(added);
        }
      }
      // Its words, without the notice's Dismiss button.
      const words = (alert: Element) => [...alert.childNodes].filter((n) => !(n instanceof HTMLButtonElement)).map((n) => n.textContent).join('').trim();
      return [...alerts].filter((a) => a.isConnected).map(words);
    };
    const withWords = 'Not sent: Gloss is still loading this conversation from the server. What you wrote stays here; try again in a moment.';
    const change = 'Not sent: Gloss is still loading this conversation from the server. Try again in a moment.';

    for (const press of ['first', 'second', 'third']) {
      expect(await heard('reply-submit'), `${press} press of Reply`).toEqual([withWords]);
    }
    for (const press of ['first', 'second']) {
      expect(await heard('edit-save'), `${press} press of Save in the edit`).toEqual([withWords]);
    }
    // The same words for all three, in the one error notice, which stays up between them.
    for (const [button, at] of [['resolve', 0], ['resolve', 0], ['delete-comment-confirm', 0], ['delete-conversation-confirm', 0], ['delete-conversation-confirm', 0]] as const) {
      // A deletion asks first (ConfirmDelete.tsx): the question is opened, then its Delete is the press heard.
      if (button === 'delete-conversation-confirm') act(() => byId(thread(c.id)!, 'delete-conversation')[0]!.click());
      if (button === 'delete-comment-confirm') act(() => byId(thread(c.id)!, 'delete-comment')[0]!.click());
      expect(await heard(button, at), button).toEqual([change]);
    }
    expect(back.sent.filter((m) => ['update', 'delete'].includes((m as { type: string }).type)), 'nothing was sent').toEqual([]);
    expect(replyField(c.id).value).toBe('half a thought');
  });

  it('marks it deleted only on a removal, or once the page is in step and the server\'s list does not have it', async () => {
    const c = conversation({ author: BOB, target: { selector: [{ type: 'TextQuoteSelector', exact: 'beta' }] } });
    const removed = conversation({ author: BOB, target: { selector: [{ type: 'TextQuoteSelector', exact: 'quoted' }] } });
    const other = conversation({ author: BOB, target: { selector: [{ type: 'TextQuoteSelector', exact: 'gamma' }] } });
    const app = await panelWith(c, removed, other);
    type(replyField(c.id), 'half a thought');
    type(replyField(removed.id), 'another thought');

    const back = await workerRestarts(app);
    back.deliver({ type: 'connection', state: 'connecting', reason: null, self: ALICE, role: null });
    back.deliver({ type: 'snapshot', pageKey: 'k', conversations: [] });
    back.deliver({ type: 'upsert', conversation: other });
    await app.settle();
    expect([thread(c.id)?.dataset.deleted, thread(removed.id)?.dataset.deleted]).toEqual(['false', 'false']);

    // Deleted while the worker was away: its cache had it, and its resync takes it out.
    back.deliver({ type: 'remove', id: removed.id });
    await app.settle();
    expect([thread(c.id)?.dataset.deleted, thread(removed.id)?.dataset.deleted]).toEqual(['false', 'true']);

    // Deleted while the worker was away, not in its cache: the page in step without it says so.
    back.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
    await app.settle();
    expect(thread(c.id)?.dataset.deleted).toBe('true');
    expect(byId(thread(c.id)!, 'deleted-note')).toHaveLength(1);
    expect(replyField(c.id).value).toBe('half a thought');
    expect(replyField(removed.id).value).toBe('another thought');
  });
});

describe('a conversation kept for the words written in it, when a single-page app moves to another page', () => {
  it('goes with its page, words kept, and is there again, still deleted, when the tab comes back to that page', async () => {
    const c = conversation({ author: BOB, target: { selector: [{ type: 'TextQuoteSelector', exact: 'beta' }] } });
    const app = await panelWith(c);
    const { settle, ports } = app;
    type(replyField(c.id), 'half a thought');
    ports[0]!.deliver({ type: 'remove', id: c.id });
    await settle();
    expect(thread(c.id)?.dataset.deleted).toBe('true');

    // The app's other page happens to have the same text: the kept conversation is still not its.
    navigate('/another-page');
    await settle();
    const there = ports.at(-1)!;
    expect(ports).toHaveLength(2);
    const theirs = conversation({ author: BOB });
    there.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
    there.deliver({ type: 'snapshot', pageKey: 'k2', conversations: [theirs] });
    await settle();
    expect(byId(document, 'conversation').map((e) => e.dataset.id)).toEqual([theirs.id]);
    expect(draftOf(c.id), 'the words are not dropped by a click on a link').toBe('half a thought');

    navigate(startUrl);
    await settle();
    const home = ports.at(-1)!;
    expect(ports).toHaveLength(3);
    home.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
    home.deliver({ type: 'snapshot', pageKey: 'k', conversations: [] });
    await settle();
    expect(thread(c.id)?.dataset.deleted).toBe('true');
    expect(replyField(c.id).value).toBe('half a thought');
    act(() => byId(thread(c.id)!, 'close-deleted')[0]!.click());
    await settle();
    expect(thread(c.id)).toBeUndefined();
    expect(draftOf(c.id)).toBe('');
  });
});

describe('drafts of what was deleted otherwise', () => {
  it('go at once when the user deletes the conversation themselves', async () => {
    const mine = conversation({ author: ALICE });
    const { port, settle } = await panelWith(mine);
    type(replyField(mine.id), 'never mind');
    act(() => byId(thread(mine.id)!, 'delete-conversation')[0]!.click());
    act(() => byId(thread(mine.id)!, 'delete-conversation-confirm')[0]!.click());
    expect(port.sent).toContainEqual(expect.objectContaining({ type: 'delete', id: mine.id }));

    port.deliver({ type: 'remove', id: mine.id });
    await settle();
    expect(thread(mine.id)).toBeUndefined();
    expect(draftOf(mine.id)).toBe('');
  });

  it('go when the conversation is deleted with no words in it, and an edit goes with its deleted comment', async () => {
    const reply = { id: uuid(), author: ALICE, text: 'my reply', createdAt: 2 };
    const c = conversation({ author: BOB, comments: [{ id: uuid(), author: BOB, text: 'opening', createdAt: 1 }, reply] });
    const quiet = conversation({ author: BOB });
    const { port, settle } = await panelWith(c, quiet);
    act(() => byId(thread(c.id)!, 'edit-comment')[0]!.click());
    type(byId(thread(c.id)!, 'edit-input')[0] as HTMLTextAreaElement, 'my reply, better');
    expect(editDraftOf(reply.id)).toBe('my reply, better');

    // A moderator deletes the reply being edited; Bob deletes the other conversation.
    port.deliver({ type: 'upsert', conversation: { ...c, revision: 2, comments: [c.comments[0]!] } });
    port.deliver({ type: 'remove', id: quiet.id });
    await settle();
    expect(editDraftOf(reply.id)).toBeUndefined();
    expect(thread(quiet.id), 'nothing was being written in it').toBeUndefined();
  });
});
