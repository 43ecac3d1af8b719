import { describe, expect, it } from 'vitest';
import { createModel } from '../../../extension/content/state/model.js';
import { OwnPosts } from '../../../extension/content/state/own-posts.js';
import { applyPortMessage } from '../../../extension/content/state/port-messages.js';
import { ALICE, BOB, conversation, uuid } from './fixtures.js';

describe('applyPortMessage', () => {
  it('tells the screen reader once when the server confirms the user\'s own comment, not someone else\'s', () => {
    const model = createModel();
    const own = new OwnPosts();
    const mine = conversation();
    own.sent(mine.id, mine.comments[0]!.id, mine.id, 'conversation');
    applyPortMessage(model, own, { type: 'upsert', conversation: conversation({ author: BOB }) });
    expect(model.announcement).toBeNull();
    applyPortMessage(model, own, { type: 'snapshot', pageKey: 'k', conversations: [mine] });
    expect(model.announcement).toEqual({ serial: 1, text: 'Your comment was posted' });
    applyPortMessage(model, own, { type: 'upsert', conversation: mine });
    expect(model.announcement?.serial, 'confirmed once').toBe(1);
  });

  it('shows why an operation was refused, and forgets the post it would have confirmed', () => {
    const model = createModel();
    const own = new OwnPosts();
    const c = conversation();
    const commentId = uuid();
    const broadcastId = uuid();
    own.sent(c.id, commentId, broadcastId, 'reply');
    applyPortMessage(model, own, { type: 'op-failed', broadcastId, id: c.id, error: { code: 'forbidden', message: 'no' } });
    expect(model.error).not.toBeNull();
    const echoed = { ...c, comments: [...c.comments, { id: commentId, author: ALICE, text: 'late', createdAt: 1 }] };
    applyPortMessage(model, own, { type: 'upsert', conversation: echoed });
    expect(model.announcement).toBeNull();
  });

  it('opens the panel with the top bar unfolded when the popup asks', () => {
    const model = createModel();
    model.topbarCollapsed = true;
    applyPortMessage(model, new OwnPosts(), { type: 'open-panel' });
    expect([model.panelOpen, model.topbarCollapsed]).toEqual([true, false]);
  });
});
