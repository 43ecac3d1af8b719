import { describe, expect, it } from 'vitest';
import type { ComposerTarget } from '../../../extension/content/selection/composer-target.js';
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

  describe('a conversation of this tab refused', () => {
    // What the composer held when it was sent; no DOM is needed to hand it back.
    const target = (quote: string) => ({ quote, rangeText: quote, selector: [] }) as unknown as ComposerTarget;
    const full = { code: 'store_full' as const, message: 'the server is full' };
    const sentOne = () => {
      const model = createModel();
      const id = uuid();
      model.sentCreates.set(id, { target: target('the words'), text: 'my long thought' });
      return { model, id };
    };

    it('gives its words back to the composer, on the same text, and says so after why', () => {
      const { model, id } = sentOne();
      applyPortMessage(model, new OwnPosts(), { type: 'op-failed', broadcastId: id, id, error: full });
      expect(model.composer).toMatchObject({ quote: 'the words', draft: 'my long thought' });
      expect(model.error).toMatch(/^Not saved: the Gloss server is out of room.*Your comment is back in its box\.$/);
      expect(model.sentCreates.size).toBe(0);
    });

    it('does not replace a composer the user has opened since (the notice still says why)', () => {
      const { model, id } = sentOne();
      model.composer = target('other words');
      applyPortMessage(model, new OwnPosts(), { type: 'op-failed', broadcastId: id, id, error: full });
      expect(model.composer).toMatchObject({ quote: 'other words' });
      expect(model.composer?.draft).toBeUndefined();
      expect(model.error).toMatch(/out of room for new comments\. Tell whoever runs it; deleting is still possible\.$/);
    });

    it('gives nothing back for a conversation the user deleted before it was sent', () => {
      const { model, id } = sentOne();
      applyPortMessage(model, new OwnPosts(), { type: 'remove', id });
      expect(model.sentCreates.size).toBe(0);
    });

    it('gives nothing back for another op refused on it (a reply), nor once the server confirmed it', () => {
      const { model, id } = sentOne();
      applyPortMessage(model, new OwnPosts(), { type: 'op-failed', broadcastId: uuid(), id, error: full });
      expect(model.composer).toBeNull();
      applyPortMessage(model, new OwnPosts(), { type: 'upsert', conversation: conversation({ id }) });
      applyPortMessage(model, new OwnPosts(), { type: 'op-failed', broadcastId: id, id, error: full });
      expect(model.composer).toBeNull();
    });

    it("forgets it alike when a join's `changes` message confirms or removes it (what an upsert and a remove do)", () => {
      const confirmed = sentOne();
      applyPortMessage(confirmed.model, new OwnPosts(), { type: 'changes', upserts: [conversation({ id: confirmed.id })], removes: [] });
      expect(confirmed.model.sentCreates.size).toBe(0);
      const removed = sentOne();
      applyPortMessage(removed.model, new OwnPosts(), { type: 'changes', upserts: [], removes: [removed.id] });
      expect(removed.model.sentCreates.size).toBe(0);
    });

    it('forgets it when a snapshot lists it confirmed; keeps it, to give back, while listed pending or not listed', () => {
      const confirmed = sentOne();
      applyPortMessage(confirmed.model, new OwnPosts(), { type: 'snapshot', pageKey: 'k', conversations: [conversation({ id: confirmed.id })] });
      expect(confirmed.model.sentCreates.size).toBe(0);
      applyPortMessage(confirmed.model, new OwnPosts(), { type: 'op-failed', broadcastId: confirmed.id, id: confirmed.id, error: full });
      expect(confirmed.model.composer, 'nothing given back for a confirmed one').toBeNull();

      // Still in the worker's outbox: it may yet be refused.
      const pending = sentOne();
      applyPortMessage(pending.model, new OwnPosts(), { type: 'snapshot', pageKey: 'k', conversations: [conversation({ id: pending.id, pending: true })] });
      applyPortMessage(pending.model, new OwnPosts(), { type: 'op-failed', broadcastId: pending.id, id: pending.id, error: full });
      expect(pending.model.composer).toMatchObject({ draft: 'my long thought' });

      // Not listed: sent again over the new port after the worker wrote the snapshot (port-messages.ts, keptCreates).
      const resent = sentOne();
      applyPortMessage(resent.model, new OwnPosts(), { type: 'snapshot', pageKey: 'k', conversations: [] });
      applyPortMessage(resent.model, new OwnPosts(), { type: 'op-failed', broadcastId: resent.id, id: resent.id, error: full });
      expect(resent.model.composer).toMatchObject({ draft: 'my long thought' });
    });
  });
});
