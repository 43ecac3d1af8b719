// @vitest-environment jsdom
import { act } from 'preact/test-utils';
import { afterEach, expect, it } from 'vitest';
import type { ContentToBackground } from '../../../protocol/runtime.js';
import { byId, mount } from './app-harness.js';
import { startTestController } from './controller-harness.js';
import { ALICE, BOB, conversation, uuid } from './fixtures.js';

/**
 * An edit refused as a `conflict`: somebody changed the comment after the view the user edited (or
 * the tab lagged behind the worker). The server never forces it through; the user's words must not
 * be lost with it. The real controller, fed as the worker feeds it, and the real UI it renders.
 */

let stop: () => void = () => {};
afterEach(() => stop());

// The controller's render after what a step changed (controller-harness.ts), with the mounted UI's effects after it.
const settle = (render: Promise<void>) => act(() => render);

it('gives the user their refused words back in the comment\'s edit field, under the version that won, to save again on it', async () => {
  const { controller, ports, view, nextRender } = startTestController();
  stop = () => controller.abort();
  const port = ports[0]!;
  const c = conversation();
  const comment = c.comments[0]!;
  port.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
  port.deliver({ type: 'snapshot', pageKey: 'k', conversations: [c] });
  await settle(nextRender());

  expect(view.actions!.editComment(c.id, comment.id, 'my careful words')).toBeNull();
  const sent = port.sent.at(-1) as Extract<ContentToBackground, { type: 'update' }>;
  expect(sent).toMatchObject({ type: 'update', baseRevision: 1, changes: { editComment: { text: 'my careful words' } } });
  // The worker: the op is refused, then the tabs get the server's newer conversation.
  port.deliver({ type: 'op-failed', broadcastId: sent.broadcastId, id: c.id, error: { code: 'conflict', message: 'revision mismatch' } });
  const theirs = { ...c, revision: 2, comments: [{ ...comment, text: 'Bob got there first', editedAt: 2, author: ALICE }] };
  port.deliver({ type: 'upsert', conversation: theirs });
  await settle(nextRender());
  expect(view.state!.error).toMatch(/Your text is back in its edit field/);
  expect([...view.state!.refusedEdits]).toEqual([[comment.id, 'my careful words']]);

  const root = mount({ ...view.state!, panelOpen: true }, view.actions!);
  expect((byId(root, 'edit-input')[0] as HTMLTextAreaElement).value).toBe('my careful words');
  expect(byId(root, 'edit-conflict')[0]!.textContent).toContain('Bob got there first');
  // Taken into the edit field once: not given back again on the next render.
  await settle(nextRender());
  expect(view.state!.refusedEdits.size).toBe(0);

  // Saved again: now on the version the user has seen.
  act(() => byId(root, 'edit-save')[0]!.click());
  expect(port.sent.at(-1)).toMatchObject({ type: 'update', id: c.id, baseRevision: 2, changes: { editComment: { id: comment.id, text: 'my careful words' } } });
  expect(byId(root, 'edit-conflict')).toHaveLength(0);
});

it('gives nothing back for an edit refused for another reason, or for someone else\'s', async () => {
  const { controller, ports, view, nextRender } = startTestController();
  stop = () => controller.abort();
  const port = ports[0]!;
  const c = conversation({ comments: [{ id: uuid(), author: BOB, text: 'by Bob', createdAt: 1 }] });
  port.deliver({ type: 'connection', state: 'live', reason: null, self: ALICE, role: null });
  port.deliver({ type: 'snapshot', pageKey: 'k', conversations: [c] });
  await settle(nextRender());
  view.actions!.editComment(c.id, c.comments[0]!.id, 'not mine to edit');
  const sent = port.sent.at(-1) as Extract<ContentToBackground, { type: 'update' }>;
  port.deliver({ type: 'op-failed', broadcastId: sent.broadcastId, id: c.id, error: { code: 'forbidden', message: 'no' } });
  await settle(nextRender());
  expect(view.state!.error).toMatch(/only its author may edit/);
  // A conflict of an op this tab did not send (another tab's): nothing of this tab's to give back.
  port.deliver({ type: 'op-failed', broadcastId: uuid(), id: c.id, error: { code: 'conflict', message: 'no' } });
  await settle(nextRender());
  expect(view.state!.refusedEdits.size).toBe(0);
});
