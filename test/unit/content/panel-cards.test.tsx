// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import type { LocalConversation } from '../../../protocol/runtime.js';
import { BOB, conversation } from './fixtures.js';
import { byId, mount, recordingActions, rerender, state } from './app-harness.js';

/**
 * The panel renders a card again only when what it shows changed (ConversationView.tsx, sameCard):
 * a live change on a page of thousands of conversations renders one card, not all of them. A card
 * that is skipped is seen here by changing its conversation object in place (which the real model
 * never does): only a render would show the change.
 */
const card = (root: HTMLElement, c: LocalConversation) => root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${c.id}"]`)!;
const resolveLabel = (root: HTMLElement, c: LocalConversation) => byId(card(root, c), 'resolve')[0]!.textContent;

describe('panel cards', () => {
  // jsdom lays nothing out and has no scrollIntoView (the panel scrolls to the active conversation).
  Element.prototype.scrollIntoView ??= () => {};

  it('a change to one conversation does not render the others again', () => {
    const quiet = conversation();
    const busy = conversation();
    const { actions } = recordingActions();
    const root = mount(state({ anchored: [quiet, busy] }), actions);
    (quiet as { resolved: boolean }).resolved = true;
    rerender(state({ anchored: [quiet, { ...busy, resolved: true }] }), actions);
    expect(resolveLabel(root, busy)).toBe('Reopen');
    expect(resolveLabel(root, quiet), 'the unchanged card was not rendered again').toBe('Resolve');
  });

  it('renders a card again when its conversation, deleted, active, orphaned state, self or a refused edit of its comments changes', () => {
    const c = conversation();
    const { actions } = recordingActions();
    const root = mount(state({ anchored: [c] }), actions);
    const mutated = () => (c as { resolved: boolean }).resolved;
    const flip = () => ((c as { resolved: boolean }).resolved = !mutated());
    const shows = () => resolveLabel(root, c) === (mutated() ? 'Reopen' : 'Resolve');

    flip();
    rerender(state({ anchored: [c], activeId: c.id }), actions);
    expect(shows(), 'active').toBe(true);
    expect(card(root, c).classList.contains('active')).toBe(true);

    flip();
    rerender(state({ anchored: [], orphaned: [c], activeId: c.id }), actions);
    expect(shows(), 'orphaned').toBe(true);
    expect(card(root, c).dataset.orphaned).toBe('true');

    flip();
    rerender(state({ anchored: [], orphaned: [c], activeId: c.id, self: BOB }), actions);
    expect(shows(), 'self').toBe(true);

    flip();
    rerender(state({ anchored: [], orphaned: [c], activeId: c.id, self: BOB, deleted: new Set([c.id]) }), actions);
    expect(card(root, c).dataset.deleted).toBe('true');

    // A refused edit of another conversation's comment leaves this card alone; one of its own comment does not.
    const deletedState = { anchored: [], orphaned: [c], activeId: c.id, self: BOB };
    rerender(state(deletedState), actions);
    flip();
    rerender(state({ ...deletedState, refusedEdits: new Map([['someone-elses-comment', 'x']]) }), actions);
    expect(shows(), 'a refused edit elsewhere').toBe(false);
    rerender(state({ ...deletedState, refusedEdits: new Map([[c.comments[0]!.id, 'my words']]) }), actions);
    expect(shows(), 'a refused edit of its comment').toBe(true);

    const updated = { ...c, resolved: !mutated() };
    rerender(state({ ...deletedState, orphaned: [updated] }), actions);
    expect(resolveLabel(root, updated), 'a new conversation object').toBe(updated.resolved ? 'Reopen' : 'Resolve');
  });
});
