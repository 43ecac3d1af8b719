// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { ALICE, BOB, conversation, uuid } from './fixtures.js';
import { byId, container, mount, recordingActions, rerender, state } from './app-harness.js';

describe('content UI', () => {
  it('renders annotation text as text: no element is created from it', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const c = conversation({
      target: { selector: [{ type: 'TextQuoteSelector', exact: '<b>quote</b>' }] },
      comments: [{ id: uuid(), author: { id: 'x', name: '<i>Mallory</i>' }, text: evil, createdAt: 1 }],
    });
    const root = mount(state({ anchored: [c], error: '<img src=y>' }), recordingActions().actions);
    expect(root.querySelector('img, b, i')).toBeNull();
    expect(byId(root, 'comment-text')[0]!.textContent).toBe(evil);
    expect(byId(root, 'quote')[0]!.textContent).toBe('<b>quote</b>');
    expect(byId(root, 'comment-author')[0]!.textContent).toBe('<i>Mallory</i>');
    expect(byId(root, 'error')[0]!.textContent).toBe('<img src=y>');
  });

  it('shows viewers, connection and the conversation attributes the E2E tests read', () => {
    const open = conversation({ pending: true });
    const done = conversation({ resolved: true, author: BOB });
    const lost = conversation({ target: { selector: [{ type: 'TextQuoteSelector', exact: 'gone text' }] } });
    const root = mount(state({ anchored: [open, done], orphaned: [lost], connection: 'reconnecting' }), recordingActions().actions);
    expect(byId(root, 'viewers')[0]!.textContent).toBe('2 viewing');
    expect(byId(root, 'connection')[0]!.textContent).toBe('reconnecting');
    const items = byId(root, 'conversation');
    expect(items.map((e) => [e.dataset.id, e.dataset.resolved, e.dataset.pending])).toEqual([
      [open.id, 'false', 'true'],
      [done.id, 'true', 'false'],
      [lost.id, 'false', 'false'],
    ]);
    expect(items.map((e) => e.dataset.orphaned)).toEqual(['false', 'false', 'true']);
    // The lost one is listed after the heading that says so.
    const heading = byId(root, 'orphaned')[0]!;
    expect(heading.textContent).toBe('Not found on this page');
    expect(heading.compareDocumentPosition(items[2]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(heading.compareDocumentPosition(items[1]!) & Node.DOCUMENT_POSITION_PRECEDING).toBeTruthy();
    expect(byId(items[2]!, 'quote')[0]!.textContent).toBe('gone text');
  });

  it('a reply being typed survives its conversation moving to "Not found on this page" and back', () => {
    const c = conversation();
    const other = conversation();
    const { actions } = recordingActions();
    const root = mount(state({ anchored: [c, other] }), actions);
    const input = byId(root, 'reply-input')[0]! as HTMLTextAreaElement;
    input.value = 'half a thought';
    rerender(state({ anchored: [other], orphaned: [c] }), actions);
    const moved = root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${c.id}"]`)!;
    expect(moved.dataset.orphaned).toBe('true');
    expect((byId(moved, 'reply-input')[0] as HTMLTextAreaElement).value).toBe('half a thought');
    rerender(state({ anchored: [c, other] }), actions);
    expect((byId(root, 'reply-input')[0] as HTMLTextAreaElement).value).toBe('half a thought');
  });

  it('offers edit and delete only on own comments, and never deletes the first comment alone', () => {
    const first = { id: uuid(), author: ALICE, text: 'opening', createdAt: 1 };
    const mine = { id: uuid(), author: ALICE, text: 'mine', createdAt: 2 };
    const theirs = { id: uuid(), author: BOB, text: 'theirs', createdAt: 3 };
    const c = conversation({ comments: [first, mine, theirs] });
    const root = mount(state({ anchored: [c] }), recordingActions().actions);
    const comments = byId(root, 'comment');
    const has = (el: HTMLElement, id: string) => byId(el, id).length > 0;
    expect(comments.map((el) => [el.dataset.id, has(el, 'edit-comment'), has(el, 'delete-comment')])).toEqual([
      [first.id, true, false],
      [mine.id, true, true],
      [theirs.id, false, false],
    ]);
    expect(byId(root, 'delete-conversation')).toHaveLength(1);
  });

  it('hides own-only controls from someone else and before the session is known', () => {
    const c = conversation({ author: BOB, comments: [{ id: uuid(), author: BOB, text: 'hi', createdAt: 1 }] });
    let root = mount(state({ anchored: [c] }), recordingActions().actions);
    expect(byId(root, 'delete-conversation')).toHaveLength(0);
    render(null, container);
    container.remove();
    root = mount(state({ anchored: [conversation()], self: null }), recordingActions().actions);
    expect(byId(root, 'edit-comment')).toHaveLength(0);
    expect(byId(root, 'delete-conversation')).toHaveLength(0);
  });

  it('sends reply, edit (with the typed text), resolve and delete through the actions', () => {
    const c = conversation({ comments: [{ id: uuid(), author: ALICE, text: 'opening', createdAt: 1 }] });
    const { actions, calls } = recordingActions();
    const root = mount(state({ anchored: [c] }), actions);

    const reply = byId(root, 'reply-input')[0] as HTMLTextAreaElement;
    reply.value = 'a reply';
    act(() => byId(root, 'reply-submit')[0]!.click());
    expect(calls.at(-1)).toEqual(['reply', c.id, 'a reply']);
    expect(reply.value).toBe('');

    act(() => byId(root, 'edit-comment')[0]!.click());
    const edit = byId(root, 'edit-input')[0] as HTMLTextAreaElement;
    expect(edit.value).toBe('opening');
    edit.value = 'edited';
    act(() => byId(root, 'edit-save')[0]!.click());
    expect(calls.at(-1)).toEqual(['editComment', c.id, c.comments[0]!.id, 'edited']);
    expect(byId(root, 'edit-input')).toHaveLength(0);

    act(() => byId(root, 'resolve')[0]!.click());
    act(() => byId(root, 'delete-conversation')[0]!.click());
    expect(calls.at(-1), 'asked first, not deleted').toEqual(['toggleResolved', c.id]);
    act(() => byId(root, 'delete-conversation-confirm')[0]!.click());
    expect(calls.slice(-2)).toEqual([
      ['toggleResolved', c.id],
      ['deleteConversation', c.id],
    ]);
  });

  it('shows the Annotate button for a selection, then the composer, and submits its text', () => {
    const { actions, calls } = recordingActions();
    let root = mount(state({ affordance: { left: 10, top: 20 }, panelOpen: false }), actions);
    expect(byId(root, 'panel')).toHaveLength(0);
    act(() => byId(root, 'annotate-button')[0]!.click());
    expect(calls.at(-1)).toEqual(['openComposer']);
    render(null, container);
    container.remove();

    root = mount(state({ composer: { left: 10, top: 20, quote: 'the words' }, affordance: { left: 10, top: 20 } }), actions);
    expect(byId(root, 'annotate-button')).toHaveLength(0);
    const composer = byId(root, 'composer')[0]!;
    const textarea = composer.querySelector('textarea')!;
    textarea.value = 'my note';
    act(() => byId(root, 'composer-submit')[0]!.click());
    expect(calls.at(-1)).toEqual(['submitComposer', 'my note']);
  });

  it('opens a composer given back after a refusal with its words, without taking the caret from a field', () => {
    const { actions, calls } = recordingActions();
    const elsewhere = document.body.appendChild(document.createElement('textarea'));
    elsewhere.focus();
    const root = mount(state({ composer: { left: 10, top: 20, quote: 'the words', draft: 'refused words' } }), actions);
    const textarea = byId(root, 'composer')[0]!.querySelector('textarea')!;
    expect(textarea.value).toBe('refused words');
    expect(document.activeElement).toBe(elsewhere);
    act(() => byId(root, 'composer-submit')[0]!.click());
    expect(calls.at(-1)).toEqual(['submitComposer', 'refused words']);
    elsewhere.remove();
  });

  it('marks the bar\'s viewers as last known while not live (quieter, its tooltip and hidden words say so), as the badge greys its count', () => {
    const users = [ALICE, BOB];
    const live = mount(state({ connection: 'live', viewers: 2, users }), recordingActions().actions);
    expect(byId(live, 'viewers')[0]!.className).toBe('');
    expect(byId(live, 'viewers')[0]!.title).toBe('Alice, Bob');
    expect(byId(live, 'viewers-stale')).toHaveLength(0);
    const root = mount(state({ connection: 'reconnecting', viewers: 2, users }), recordingActions().actions);
    const count = byId(root, 'viewers')[0]!;
    expect(count.textContent).toBe('2 viewing');
    expect(count.className).toBe('stale');
    expect(count.title).toBe('Alice, Bob (last known, not live)');
    expect(byId(root, 'viewers-stale')[0]!.textContent).toBe('(last known, not live)');
  });

  it('names the viewers in the bar\'s tooltip by the panel\'s and popup\'s rule (state/names.ts): trimmed, a blank name "Anonymous"', () => {
    const users = [{ id: 'user-padded', name: '  Alice  ' }, { id: 'user-blank', name: '   ' }, { id: 'user-empty', name: '' }];
    const live = mount(state({ connection: 'live', viewers: 3, users }), recordingActions().actions);
    expect(byId(live, 'viewers')[0]!.title).toBe('Alice, Anonymous, Anonymous');
    const stale = mount(state({ connection: 'offline', viewers: 3, users }), recordingActions().actions);
    expect(byId(stale, 'viewers')[0]!.title).toBe('Alice, Anonymous, Anonymous (last known, not live)');
  });

  it('names the panel alike everywhere: its toggle\'s tooltip says Show or Hide conversations, its × Close conversations', () => {
    const closed = mount(state({ panelOpen: false }), recordingActions().actions);
    expect(byId(closed, 'panel-toggle')[0]!.title).toBe('Show conversations');
    const open = mount(state({ panelOpen: true }), recordingActions().actions);
    expect(byId(open, 'panel-toggle')[0]!.title).toBe('Hide conversations');
    expect(byId(open, 'panel-close')[0]!.getAttribute('aria-label')).toBe('Close conversations');
  });

  it('collapses the top bar to its toggle', () => {
    const root = mount(state({ topbarCollapsed: true }), recordingActions().actions);
    expect(byId(root, 'topbar')).toHaveLength(1);
    expect(byId(root, 'topbar-toggle')).toHaveLength(1);
    expect(byId(root, 'viewers')).toHaveLength(0);
  });
});
