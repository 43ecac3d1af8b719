import * as v from 'valibot';
import { Target, type Selector } from '../../../protocol/model.js';
import { uuidv7 } from '../../../protocol/ids.js';
import { LIMITS } from '../../../protocol/limits.js';
import { composerTarget, currentRange, describeCurrent } from '../selection/composer-target.js';
import { tellIfWaiting } from '../state/announce.js';
import { addLocal } from '../state/store.js';
import { commentTextProblem } from '../state/text.js';
import type { Actions } from '../view.js';
import type { ActionContext } from './context.js';

/** Starting a conversation: the composer opened on the page's selection, cancelled or sent. */
export function composerActions({ doc, root, model, anchors, ownPosts, send, schedule, movedToAnotherPage }: ActionContext): Pick<
  Actions,
  'openComposer' | 'cancelComposer' | 'submitComposer'
> {
  return {
    openComposer() {
      if (!model.selection) return;
      model.composer = composerTarget(model.selection.range, root(), model.selection.points);
      schedule();
    },
    cancelComposer() {
      // Typing in the composer took the page's selection away: give it back, so a reader who changes
      // their mind is where they were (and can adjust it with shift+arrows, or annotate it again).
      const range = model.composer?.range;
      model.composer = null;
      if (range && !range.collapsed) {
        const sel = doc.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
      }
      schedule();
    },
    submitComposer(text) {
      // The page may have moved since the last check: this goes to the page the tab shows now.
      movedToAnotherPage();
      const composer = model.composer;
      if (!composer) return 'The selection is gone: select the text again';
      const problem = commentTextProblem(text);
      if (problem !== null) return problem;
      const range = currentRange(composer, root());
      if (range === null) return 'The text you selected is no longer on this page, so this comment cannot be attached to it';
      let selector: Selector[];
      let parts: Range[] | null;
      try {
        ({ selector, parts } = describeCurrent(composer, range, root()));
      } catch {
        selector = [];
        parts = null;
      }
      composer.range = range;
      const target = { selector };
      if (!v.is(Target, target)) {
        return composer.quote.length > LIMITS.quote
          ? `The selection is too long to annotate (at most ${LIMITS.quote} characters)`
          : 'This selection cannot be annotated: select some text on the page';
      }
      // One id for the conversation, its first comment and the create's broadcastId: the server
      // then leaves the broadcastId out of the new-text-chat tuple (docs/protocol.md).
      const id = uuidv7();
      const now = Date.now();
      const author = model.self ?? { id: '', name: 'You' };
      model.conversations = addLocal(model.conversations, {
        id,
        target,
        author,
        createdAt: now,
        revision: 1,
        resolved: false,
        // The first comment's id is the conversation's, as the server and the background's pending copy
        // name it, so the optimistic comment keeps its key when that copy replaces ours.
        comments: [{ id, author, text, createdAt: now }],
        pending: true,
      });
      // The selection is exactly where the new conversation anchors: no need to search for it. A
      // selection into a web component is painted by one range per tree, cut where it was described.
      const held = composer.range.cloneRange();
      anchors.set(id, held, parts ?? [held]);
      send({ type: 'create', broadcastId: id, chat: { id, target, text } });
      model.sentCreates.set(id, { target: { ...composer, draft: undefined }, text });
      ownPosts.sent(id, id, id, 'conversation');
      tellIfWaiting(model, 'Your comment');
      model.composer = null;
      model.selection = null;
      doc.getSelection()?.removeAllRanges();
      model.panelOpen = true;
      model.activeId = id;
      schedule();
      return null;
    },
  };
}
