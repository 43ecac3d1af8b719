// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { VIEWERS_SETTLE_MS } from '../../../extension/content/ui/Announcer.js';
import type { Actions, ViewState } from '../../../extension/content/view.js';
import { ALICE, BOB, conversation, uuid } from './fixtures.js';
import { byId, container, mount, recordingActions, rerender, startPanelWith, state } from './app-harness.js';

/**
 * What a keyboard-only user meets in the UI: where focus goes when the control they used goes away,
 * and which keys close what. jsdom moves focus and dispatches keys as a browser would; a browser's
 * Enter or Space on a focused button is its `click()`.
 */

const press = (el: Element, key: string, init: KeyboardEventInit = {}) =>
  act(() => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, composed: true, ...init }));
  });

describe('keyboard: editing a comment', () => {
  const c = conversation({ comments: [{ id: uuid(), author: ALICE, text: 'opening', createdAt: 1 }] });

  it('Edit puts focus in the field, and Save puts it back on Edit', () => {
    const { actions, calls } = recordingActions();
    const root = mount(state({ anchored: [c] }), actions);
    const edit = byId(root, 'edit-comment')[0]!;
    edit.focus();
    act(() => edit.click());
    const field = byId(root, 'edit-input')[0] as HTMLTextAreaElement;
    expect(document.activeElement).toBe(field);
    field.value = 'changed';
    act(() => byId(root, 'edit-save')[0]!.click());
    expect(calls.at(-1)).toEqual(['editComment', c.id, c.comments[0]!.id, 'changed']);
    expect(document.activeElement).toBe(byId(root, 'edit-comment')[0]);
  });

  it('Escape in the field cancels the edit, puts focus back on Edit and leaves the panel open', () => {
    const { actions, calls } = recordingActions();
    const root = mount(state({ anchored: [c] }), actions);
    act(() => byId(root, 'edit-comment')[0]!.click());
    press(byId(root, 'edit-input')[0]!, 'Escape');
    expect(byId(root, 'edit-input')).toHaveLength(0);
    expect(document.activeElement).toBe(byId(root, 'edit-comment')[0]);
    expect(calls.map((call) => call[0])).not.toContain('togglePanel');
  });
});

describe('keyboard: the top bar', () => {
  it('collapsing and expanding the bar by keyboard keeps focus on its toggle', () => {
    const { actions, calls } = recordingActions();
    const root = mount(state({ panelOpen: false }), actions);
    const toggle = byId(root, 'topbar-toggle')[0]!;
    toggle.focus();
    act(() => toggle.click());
    expect(calls.at(-1)).toEqual(['toggleTopbar']);
    rerender(state({ panelOpen: false, topbarCollapsed: true }), actions);
    expect(document.activeElement, 'focus after collapsing').toBe(byId(root, 'topbar-toggle')[0]);
    expect(byId(root, 'topbar-toggle')[0]!.getAttribute('aria-expanded')).toBe('false');
    expect(byId(root, 'viewers')).toHaveLength(0);
    rerender(state({ panelOpen: false, topbarCollapsed: false }), actions);
    expect(document.activeElement, 'focus after expanding').toBe(byId(root, 'topbar-toggle')[0]);
    expect(byId(root, 'topbar-toggle')[0]!.getAttribute('aria-expanded')).toBe('true');
    expect(byId(root, 'viewers')).toHaveLength(1);
  });
});

describe('keyboard: the top bar collapsed with the panel open (the real controller)', () => {
  it('"–" closes the panel with the bar, focus stays on the toggle, now "Gloss", and expanding does not reopen the panel', async () => {
    const teardown = new AbortController();
    try {
      const { settle } = await startPanelWith(teardown.signal, conversation({ author: ALICE }));
      expect(byId(document, 'panel'), 'the panel open').toHaveLength(1);
      const toggle = byId(document, 'topbar-toggle')[0]!;
      toggle.focus();
      act(() => toggle.click());
      await settle();
      expect(byId(document, 'panel'), 'the panel after collapsing the bar').toHaveLength(0);
      expect(byId(document, 'topbar-toggle')[0]!.textContent).toBe('Gloss');
      expect(document.activeElement, 'focus after collapsing').toBe(byId(document, 'topbar-toggle')[0]);
      act(() => byId(document, 'topbar-toggle')[0]!.click());
      await settle();
      expect(byId(document, 'panel'), 'the panel after expanding the bar').toHaveLength(0);
      expect(byId(document, 'panel-toggle')[0]!.getAttribute('aria-expanded')).toBe('false');
    } finally {
      teardown.abort();
    }
  });
});

describe('keyboard: the panel', () => {
  it('Escape inside the panel closes it and gives focus back to the toggle that opened it', () => {
    const { actions, calls } = recordingActions();
    const root = mount(state({ panelOpen: false }), actions);
    const toggle = byId(root, 'panel-toggle')[0]!;
    toggle.focus();
    rerender(state({ panelOpen: true }), actions);
    const panelId = byId(root, 'panel')[0]!.id;
    // Tab into the panel (what the browser does when the user tabs on from the toggle), then Escape.
    const reply = byId(root, 'panel')[0]!.querySelector('button')!;
    reply.focus();
    press(reply, 'Escape');
    expect(calls.at(-1)).toEqual(['togglePanel']);
    rerender(state({ panelOpen: false }), actions);
    expect(byId(root, 'panel')).toHaveLength(0);
    expect(document.activeElement).toBe(toggle);
    expect(toggle.getAttribute('aria-controls')).toBe(panelId);
  });

  it('Escape closes the panel over a reply being written, and the reply is still there when it opens again', () => {
    const { actions, calls } = recordingActions();
    const c = conversation();
    const root = mount(state({ anchored: [c] }), actions);
    const typeInto = (field: HTMLTextAreaElement, text: string) =>
      act(() => {
        field.value = text;
        field.dispatchEvent(new Event('input', { bubbles: true }));
      });
    const reply = () => byId(root, 'reply-input')[0] as HTMLTextAreaElement;
    reply().focus();
    typeInto(reply(), 'half a thought');
    press(reply(), 'Escape');
    expect(calls).toEqual([['togglePanel']]);
    rerender(state({ anchored: [c], panelOpen: false }), actions);
    expect(byId(root, 'reply-input')).toHaveLength(0);
    rerender(state({ anchored: [c] }), actions);
    expect(reply().value).toBe('half a thought');
    // Sent, it is gone for good.
    act(() => byId(root, 'reply-submit')[0]!.click());
    rerender(state({ anchored: [c], panelOpen: false }), actions);
    rerender(state({ anchored: [c] }), actions);
    expect(reply().value).toBe('');
  });

  it('an edit being made survives closing and reopening the panel; saved or cancelled, it is gone', () => {
    const { actions, calls } = recordingActions();
    const c = conversation({ comments: [{ id: uuid(), author: ALICE, text: 'opening', createdAt: 1 }] });
    const root = mount(state({ anchored: [c] }), actions);
    const edit = () => byId(root, 'edit-input')[0] as HTMLTextAreaElement | undefined;
    const typeInto = (field: HTMLTextAreaElement, text: string) =>
      act(() => {
        field.value = text;
        field.dispatchEvent(new Event('input', { bubbles: true }));
      });
    const closeAndReopen = () => {
      rerender(state({ anchored: [c], panelOpen: false }), actions);
      expect(byId(root, 'comment')).toHaveLength(0);
      rerender(state({ anchored: [c] }), actions);
    };
    act(() => byId(root, 'edit-comment')[0]!.click());
    typeInto(edit()!, 'opening, better put');
    closeAndReopen();
    expect(edit()?.value).toBe('opening, better put');
    // Emptied is still an edit in progress.
    typeInto(edit()!, '');
    closeAndReopen();
    expect(edit()?.value).toBe('');
    typeInto(edit()!, 'opening, for good');
    act(() => byId(root, 'edit-save')[0]!.click());
    expect(calls).toContainEqual(['editComment', c.id, c.comments[0]!.id, 'opening, for good']);
    closeAndReopen();
    expect(edit()).toBeUndefined();
    // Cancelled (Escape), the next edit starts again from the comment's text.
    act(() => byId(root, 'edit-comment')[0]!.click());
    typeInto(edit()!, 'never mind');
    press(edit()!, 'Escape');
    closeAndReopen();
    expect(edit()).toBeUndefined();
    act(() => byId(root, 'edit-comment')[0]!.click());
    expect(edit()?.value).toBe('opening');
  });

  it('the close button gives focus back to the page element it came from', () => {
    const { actions } = recordingActions();
    const pageLink = document.createElement('a');
    pageLink.href = '#somewhere';
    document.body.appendChild(pageLink);
    try {
      const root = mount(state({ anchored: [conversation()] }), actions);
      pageLink.focus();
      const close = byId(root, 'panel')[0]!.querySelector<HTMLButtonElement>('header button')!;
      expect(close.getAttribute('aria-label')).toMatch(/close/i);
      close.focus();
      act(() => close.click());
      rerender(state({ panelOpen: false }), actions);
      expect(document.activeElement).toBe(pageLink);
    } finally {
      pageLink.remove();
    }
  });

  it('a deleted comment leaves focus on its conversation, a deleted conversation on the panel', () => {
    const { actions, calls } = recordingActions();
    const first = { id: uuid(), author: ALICE, text: 'opening', createdAt: 1 };
    const second = { id: uuid(), author: ALICE, text: 'second thought', createdAt: 2 };
    const c = conversation({ comments: [first, second] });
    const other = conversation({ author: BOB, comments: [{ id: uuid(), author: BOB, text: 'other', createdAt: 3 }] });
    const root = mount(state({ anchored: [c, other] }), actions);

    const deleteComment = byId(root, 'delete-comment')[0]!;
    deleteComment.focus();
    act(() => deleteComment.click());
    // It asks first (ConfirmDelete.tsx): its Delete, pressed, gives focus to the card the question and the reply leave.
    const confirmReply = byId(root, 'delete-comment-confirm')[0]!;
    confirmReply.focus();
    act(() => confirmReply.click());
    expect(calls.at(-1)).toEqual(['deleteComment', c.id, second.id]);
    const thread = byId(root, 'conversation').find((e) => e.dataset.id === c.id)!;
    expect(document.activeElement, 'while the deletion is on its way').toBe(thread);
    // The server's confirmation comes back: the comment is gone, focus still on its conversation.
    rerender(state({ anchored: [{ ...c, comments: [first] }, other] }), actions);
    expect(document.activeElement).toBe(thread);

    const deleteConversation = byId(thread, 'delete-conversation')[0]!;
    deleteConversation.focus();
    act(() => deleteConversation.click());
    const confirm = byId(thread, 'delete-conversation-confirm')[0]!;
    confirm.focus();
    act(() => confirm.click());
    rerender(state({ anchored: [other] }), actions);
    expect(byId(root, 'panel')[0]!.contains(document.activeElement)).toBe(true);
    expect(document.activeElement?.textContent).toBe('Conversations');
  });
});

describe('keyboard: the Annotate shortcut', () => {
  it('the Annotate button names the browser shortcut too while it is bound, in its tooltip and aria-keyshortcuts', () => {
    const { actions } = recordingActions();
    const bound = { 'annotate-selection': 'Alt+Shift+M', 'toggle-panel': 'Alt+Shift+G' };
    const root = mount(state({ panelOpen: false, affordance: { left: 1, top: 1 }, shortcutKeys: bound }), actions);
    const button = () => byId(root, 'annotate-button')[0]!;
    expect(button().title).toBe('Annotate the selection (A, or Alt+Shift+M)');
    expect(button().getAttribute('aria-keyshortcuts')).toBe('A Alt+Shift+M');
    // Chrome on macOS writes the keys as symbols: shown as written, told to assistive technology by name.
    rerender(state({ panelOpen: false, affordance: { left: 1, top: 1 }, shortcutKeys: { ...bound, 'annotate-selection': '⌃⇧M' } }), actions);
    expect(button().title).toBe('Annotate the selection (A, or ⌃⇧M)');
    expect(button().getAttribute('aria-keyshortcuts')).toBe('A Control+Shift+M');
    rerender(state({ panelOpen: false, affordance: { left: 1, top: 1 }, shortcutKeys: { ...bound, 'annotate-selection': null } }), actions);
    expect(button().title, 'unbound: only the key that works').toBe('Annotate the selection (A)');
    expect(button().getAttribute('aria-keyshortcuts')).toBe('A');
  });

  it('A opens the composer while the Annotate button shows, but never while the reader types in the page', () => {
    const { actions, calls } = recordingActions();
    const editable = document.createElement('div');
    editable.setAttribute('contenteditable', 'true');
    const input = document.createElement('input');
    document.body.append(editable, input);
    try {
      const root = mount(state({ panelOpen: false, affordance: { left: 1, top: 1 } }), actions);
      expect(byId(root, 'annotate-button')[0]!.getAttribute('aria-keyshortcuts')).toBe('A');
      press(input, 'a');
      press(editable, 'a');
      press(document.body, 'a', { ctrlKey: true });
      expect(calls).toEqual([]);
      press(document.body, 'a');
      expect(calls).toEqual([['openComposer']]);
      // Without the button, the key is the page's.
      rerender(state({ panelOpen: false }), actions);
      press(document.body, 'a');
      expect(calls).toEqual([['openComposer']]);
    } finally {
      editable.remove();
      input.remove();
    }
  });
});

describe('screen readers', () => {
  it('every button has a name in words, not a lone symbol, and the bar and panel are named regions', () => {
    const mine = conversation({ comments: [{ id: uuid(), author: ALICE, text: 'a', createdAt: 1 }, { id: uuid(), author: ALICE, text: 'b', createdAt: 2 }] });
    const { actions } = recordingActions();
    for (const s of [state({ anchored: [mine], error: 'Refused', affordance: { left: 1, top: 1 } }), state({ composer: { left: 1, top: 1, quote: 'q' } }), state({ topbarCollapsed: true })]) {
      const root = mount(s, actions);
      const names = [...root.querySelectorAll('button')].map((b) => b.getAttribute('aria-label') ?? b.textContent!.trim());
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) expect(name, `a button named ${JSON.stringify(name)}`).toMatch(/[a-z]{3}/i);
      expect(byId(root, 'topbar')[0]!.getAttribute('role')).toBe('region');
      expect(byId(root, 'topbar')[0]!.getAttribute('aria-label')).toBe('Gloss');
      render(null, container);
      container.remove();
    }
    mount(state({ composer: { left: 1, top: 1, quote: 'q' } }), actions);
    expect(byId(container, 'composer')[0]!.getAttribute('role')).toBe('dialog');
    expect(byId(container, 'composer')[0]!.getAttribute('aria-label')).toBeTruthy();
  });

  it("the conversation's Delete and a comment's Delete are told apart by their words", () => {
    const mine = conversation({ comments: [{ id: uuid(), author: ALICE, text: 'a', createdAt: 1 }, { id: uuid(), author: ALICE, text: 'b', createdAt: 2 }] });
    const root = mount(state({ anchored: [mine] }), recordingActions().actions);
    const name = (b: HTMLElement) => b.getAttribute('aria-label') ?? b.textContent!.trim();
    const whole = name(byId(root, 'delete-conversation')[0]!);
    expect(whole).toMatch(/conversation/i);
    expect(name(byId(root, 'delete-comment')[0]!)).not.toBe(whole);
  });

  it('deleting a conversation asks first: focus on Cancel, Escape or Cancel keep it and give focus back, Delete deletes', () => {
    const { actions, calls } = recordingActions();
    const c = conversation({
      comments: [
        { id: uuid(), author: ALICE, text: 'mine', createdAt: 1 },
        { id: uuid(), author: BOB, text: 'theirs', createdAt: 2 },
        { id: uuid(), author: BOB, text: 'theirs too', createdAt: 3 },
      ],
    });
    const root = mount(state({ anchored: [c] }), actions);
    const ask = () => {
      const button = byId(root, 'delete-conversation')[0]!;
      button.focus();
      act(() => button.click());
    };
    const deletions = () => calls.filter(([name]) => name === 'deleteConversation');

    ask();
    expect(deletions(), 'one press deletes nothing').toEqual([]);
    expect(byId(root, 'delete-confirm')[0]!.textContent).toContain('Delete this conversation and its 2 replies for everyone?');
    expect(document.activeElement).toBe(byId(root, 'delete-conversation-cancel')[0]);
    // Escape answers the question; the panel stays open (its own Escape would close it).
    press(document.activeElement!, 'Escape');
    expect(byId(root, 'delete-confirm')).toEqual([]);
    expect(document.activeElement).toBe(byId(root, 'delete-conversation')[0]);
    expect(byId(root, 'panel')).toHaveLength(1);

    ask();
    act(() => byId(root, 'delete-conversation-cancel')[0]!.click());
    expect(document.activeElement).toBe(byId(root, 'delete-conversation')[0]);
    expect(deletions()).toEqual([]);

    ask();
    act(() => byId(root, 'delete-conversation-confirm')[0]!.click());
    expect(deletions()).toEqual([['deleteConversation', c.id]]);
  });

  it('hears a viewer count once it has settled and differs from the last one, not every change nor the first', async () => {
    vi.useFakeTimers();
    try {
      const { actions } = recordingActions();
      const root = mount(state({ connection: 'connecting', viewers: 0 }), actions);
      const region = byId(root, 'announcer')[0]!;
      expect(region.getAttribute('role')).toBe('status');
      const at = async (s: Partial<ViewState>, ms: number) => {
        rerender(state(s), actions);
        await act(async () => {
          await vi.advanceTimersByTimeAsync(ms);
        });
      };
      await at({ connection: 'live', viewers: 2 }, VIEWERS_SETTLE_MS);
      expect(region.textContent).toBe(''); // the page's first count: not news
      await at({ viewers: 3 }, 1000);
      await at({ viewers: 4 }, 1000);
      await at({ viewers: 3 }, 1000);
      expect(region.textContent).toBe('');
      await at({ viewers: 5 }, VIEWERS_SETTLE_MS);
      expect(region.textContent).toBe('5 viewing');
      // A short reconnect (Firefox suspends its background every half minute) is not told.
      await at({ connection: 'reconnecting', viewers: 5 }, 1000);
      await at({ connection: 'live', viewers: 5 }, VIEWERS_SETTLE_MS);
      expect(region.textContent).toBe('5 viewing');
      await at({ connection: 'offline', viewers: 5 }, 10);
      expect(region.textContent).toMatch(/offline/);
      await at({ connection: 'live', viewers: 5 }, 10);
      expect(region.textContent).toBe('Gloss is back online');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('screen readers hear why Gloss is offline', () => {
  it('when the server refused Gloss, the bar and the announcement say so, not a bare "offline"', () => {
    const { actions } = recordingActions();
    const root = mount(state({ connection: 'live' }), actions);
    rerender(state({ connection: 'offline', reason: 'refused' }), actions);
    expect(byId(root, 'connection')[0]!.textContent).toBe('offline');
    expect(byId(root, 'connection-why')[0]!.textContent).toBe('The server refused Gloss: check the access token in its settings');
    expect(byId(root, 'announcer')[0]!.textContent).toMatch(/^Gloss is offline\. The server refused Gloss: check the access token/);
  });

  it('when the server is at its limit of connections from this network, the bar says so while it connects, and nothing once live', () => {
    const { actions } = recordingActions();
    const root = mount(state({ connection: 'connecting', reason: 'busy' }), actions);
    expect(byId(root, 'connection')[0]!.textContent).toBe('connecting');
    expect(byId(root, 'connection-why')[0]!.textContent).toBe('The server is at its limit of connections from your network; Gloss retries by itself');
    rerender(state({ connection: 'reconnecting', reason: 'busy' }), actions);
    expect(byId(root, 'connection-why')[0]!.textContent).toMatch(/^The server is at its limit of connections from your network/);
    rerender(state({ connection: 'live', reason: null }), actions);
    expect(byId(root, 'connection-why')).toHaveLength(0);
    // Reconnecting for a reason the server did not give: nothing to add.
    rerender(state({ connection: 'reconnecting', reason: null }), actions);
    expect(byId(root, 'connection-why')).toHaveLength(0);
  });
});

describe('screen readers hear that the server is busy', () => {
  it('is told once when the server is at its limit for this network, not at each retry, and told when Gloss is back', () => {
    const { actions } = recordingActions();
    const root = mount(state({ connection: 'live' }), actions);
    const heard = () => byId(root, 'announcer')[0]!.textContent!;
    rerender(state({ connection: 'reconnecting', reason: 'busy' }), actions);
    const told = heard();
    expect(told).toMatch(/^Gloss is not connected\. The server is at its limit of connections from your network; Gloss retries by itself\./);
    // Its retries: refused again, the tab's port starting over (which knows no reason), refused again.
    for (const s of [state({ connection: 'reconnecting', reason: 'busy' }), state({ connection: 'connecting', reason: null }), state({ connection: 'connecting', reason: 'busy' })]) {
      rerender(s, actions);
      expect(heard(), 'told once').toBe(told);
    }
    rerender(state({ connection: 'live', reason: null }), actions);
    expect(heard()).toBe('Gloss is back online');
    // A short reconnect after that is not news either.
    rerender(state({ connection: 'reconnecting', reason: null }), actions);
    rerender(state({ connection: 'live', reason: null }), actions);
    expect(heard()).toBe('Gloss is back online');
  });

  it('is told when busy follows offline, and offline when it follows busy: each is news', () => {
    const { actions } = recordingActions();
    const root = mount(state({ connection: 'live' }), actions);
    const heard = () => byId(root, 'announcer')[0]!.textContent!;
    rerender(state({ connection: 'offline', reason: null }), actions);
    expect(heard()).toMatch(/^Gloss is offline/);
    rerender(state({ connection: 'connecting', reason: 'busy' }), actions);
    expect(heard()).toMatch(/limit of connections from your network/);
    rerender(state({ connection: 'offline', reason: null }), actions);
    expect(heard()).toMatch(/^Gloss is offline/);
  });
});

describe('screen readers hear refusals', () => {
  it('an empty reply, edit or new comment is refused aloud (role=alert), not only in small red text', () => {
    const refuse = 'Write something first';
    const { actions } = recordingActions();
    const refusing: Actions = { ...actions, reply: () => refuse, editComment: () => refuse, submitComposer: () => refuse };
    const c = conversation({ comments: [{ id: uuid(), author: ALICE, text: 'opening', createdAt: 1 }] });
    const root = mount(state({ anchored: [c], composer: { left: 1, top: 1, quote: 'q' } }), refusing);
    act(() => byId(root, 'reply-submit')[0]!.click());
    act(() => byId(root, 'composer-submit')[0]!.click());
    act(() => byId(root, 'edit-comment')[0]!.click());
    act(() => byId(root, 'edit-save')[0]!.click());
    const problems = [...root.querySelectorAll('.problem')];
    expect(problems.map((p) => [p.textContent, p.getAttribute('role')])).toEqual([
      [refuse, 'alert'],
      [refuse, 'alert'],
      [refuse, 'alert'],
    ]);
    // Pressed again, each is refused aloud again: the same words are still a change to its alert.
    const first = problems.map((p) => p.textContent);
    act(() => byId(root, 'reply-submit')[0]!.click());
    act(() => byId(root, 'composer-submit')[0]!.click());
    act(() => byId(root, 'edit-save')[0]!.click());
    const again = [...root.querySelectorAll('.problem')];
    expect(again.map((p, i) => p.textContent !== first[i] && p.textContent!.trim() === refuse)).toEqual([true, true, true]);
  });
});
