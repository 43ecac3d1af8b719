// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act } from 'preact/test-utils';
import type { LocalConversation } from '../../../protocol/runtime.js';
import { draftOf, editDraftOf } from '../../../extension/content/state/drafts.js';
import { byId, startApp } from './app-harness.js';
import { ALICE, BOB, conversation, uuid } from './fixtures.js';

/**
 * Drafts of conversations and comments that are deleted (state/deletions.ts), through the real
 * controller and UI: a reader writing in a conversation someone else deletes keeps their words on
 * screen until they close it; every other draft of something deleted is dropped.
 */

let teardown: AbortController;
beforeEach(() => {
  teardown = new AbortController();
  document.body.insertAdjacentText('afterbegin', 'alpha beta quoted words gamma');
});
afterEach(() => {
  teardown.abort();
  document.body.textContent = '';
});

async function panelWith(...conversations: LocalConversation[]) {
  const app = startApp(teardown.signal);
  await app.settle();
  const port = app.ports[0]!;
  port.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE });
  port.deliver({ type: 'snapshot', pageKey: 'k', conversations });
  port.deliver({ type: 'open-panel' });
  await app.settle();
  return { ...app, port };
}

const thread = (id: string) => byId(document, 'conversation').find((e) => e.dataset.id === id);
const replyField = (id: string) => byId(thread(id)!, 'reply-input')[0] as HTMLTextAreaElement;
const type = (field: HTMLTextAreaElement, text: string) =>
  act(() => {
    field.value = text;
    field.dispatchEvent(new Event('input', { bubbles: true }));
  });

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

describe('drafts of what was deleted otherwise', () => {
  it('go at once when the user deletes the conversation themselves', async () => {
    const mine = conversation({ author: ALICE });
    const { port, settle } = await panelWith(mine);
    type(replyField(mine.id), 'never mind');
    act(() => byId(thread(mine.id)!, 'delete-conversation')[0]!.click());
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
