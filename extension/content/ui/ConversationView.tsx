import { useRef, useState } from 'preact/hooks';
import type { User } from '../../../protocol/model.js';
import type { LocalConversation, UnseenKind } from '../../../protocol/runtime.js';
import { problemAfter } from '../state/announce.js';
import { isOwn, mayDelete } from '../state/owner.js';
import { shownName } from '../state/names.js';
import { quoteOf } from '../state/quote.js';
import { cardName, UNSEEN_TEXT } from '../state/card-name.js';
import type { Actions } from '../view.js';
import { CommentView } from './CommentView.js';
import { ConfirmDelete, useConfirmDelete } from './ConfirmDelete.js';
import { MarkedText } from './Marked.js';
import { draftOf, keepDraft } from '../state/drafts.js';
import { memoized } from './memoized.js';
import { usePointed } from './pointed.js';

export interface CardProps {
  conversation: LocalConversation;
  /** Its quote is not found on the page (listed after the panel's "Not found on this page"). */
  orphaned: boolean;
  /** Deleted while the user was writing in it: kept, read-only, for them to copy their words (state/deletions.ts). */
  deleted: boolean;
  self: User | null;
  /** A moderator's panel: Delete on everyone's conversations and replies, Edit still on their own only. */
  moderator: boolean;
  active: boolean;
  /** New since the user's last visit, or given new replies since (state/unseen.ts); null when neither. */
  unseen: UnseenKind | null;
  /** Edits refused as a conflict, by comment id (view.ts). */
  refusedEdits: ReadonlyMap<string, string>;
  actions: CardActions;
}

/** What a card does: the controller's actions, and letting go of the open one, which the panel decides (ui/Panel.tsx). */
export type CardActions = Pick<Actions, 'reply' | 'editComment' | 'deleteComment' | 'toggleResolved' | 'deleteConversation' | 'focusConversation' | 'closeDeleted' | 'tookRefusedEdit'> & {
  /** The open conversation `id` is let go of (its ×): the panel moves focus and tells it. */
  letGo(id: string): void;
};

export function ConversationView({ conversation: c, orphaned, deleted, self, moderator, active, unseen, refusedEdits, actions }: CardProps) {
  const [problem, setProblem] = useState<string | null>(null);
  // The pointer is on its highlighted text in the page: drawn linked to it, nothing moved. Read here,
  // not given by the panel, so the pointer's moves render this card alone (ui/pointed.ts).
  const pointed = usePointed(c.id);
  const input = useRef<HTMLTextAreaElement>(null);
  const pending = c.pending === true;
  // Deleting a conversation takes everyone's replies with it, and its Undo lasts 10 seconds: the
  // button asks first, in place (ConfirmDelete.tsx).
  const confirmDelete = useConfirmDelete();
  const card = useRef<HTMLElement>(null);
  const deletable = mayDelete(c.author, self, moderator);
  // Someone else's: the question says whose, so a moderator knows it is not their own they remove.
  const whose = isOwn(c.author, self) ? null : shownName(c.author);

  const reply = () => {
    const field = input.current;
    const result = actions.reply(c.id, field?.value ?? '');
    // A second press held or refused alike is heard again (state/announce.ts).
    setProblem((before) => problemAfter(before, result));
    if (result === null && field) {
      field.value = '';
      keepDraft(c.id, '');
    }
  };

  const classes = ['conversation', active && 'active', pointed && 'pointed', c.resolved && 'resolved', pending && 'pending', deleted && 'deleted'].filter(Boolean).join(' ');
  return (
    // Focusable by script only: where focus goes when the control a keyboard user was on is deleted.
    // The open one is `aria-current` on the element named and focused: its border colour and its × told the eye only.
    <article ref={card} tabIndex={-1} aria-label={cardName(c.author, quoteOf(c.target.selector), c.resolved, unseen)} aria-current={active ? 'true' : undefined} class={classes} data-testid="conversation" data-id={c.id} data-resolved={String(c.resolved)} data-pending={String(pending)} data-revision={String(c.revision)} data-orphaned={String(orphaned)} data-deleted={String(deleted)} data-pointed={pointed ? 'true' : undefined}>
      {/* In words, first on the card: the reader scanning the list for what changed since they were here. */}
      {unseen !== null && (
        <span class="unseen-note" data-testid="unseen-note" data-kind={unseen}>
          {UNSEEN_TEXT[unseen]}
        </span>
      )}
      {pending && (
        <span class="pending-note" data-testid="pending-note" title="Saved in this browser; sent when the server is reachable">
          Not sent yet
        </span>
      )}
      {/* Said in words on the card: the quieter colours and the Reopen button alone left a resolved one a guess (UX review). */}
      {c.resolved && (
        <span class="resolved-note" data-testid="resolved-note">
          Resolved
        </span>
      )}
      <button type="button" class="quote" data-testid="quote" dir="auto" title="Show in the page" onClick={() => actions.focusConversation(c.id)}>
        <MarkedText text={quoteOf(c.target.selector)} card={c.id} />
      </button>
      {/* Only on the open one: the way to stop having it open other than opening another (docs/architecture.md,
          "Letting go of the open conversation"). After the quote in the DOM, drawn at the card's top right. */}
      {active && !deleted && (
        <button type="button" class="link icon close-card" data-testid="close-conversation" aria-label="Close this conversation" title="Close this conversation (Escape)" aria-keyshortcuts="Escape" onClick={() => actions.letGo(c.id)}>
          ×
        </button>
      )}
      {c.comments.map((comment, index) => (
        <CommentView
          key={comment.id}
          card={c.id}
          comment={comment}
          own={isOwn(comment.author, self)}
          readOnly={deleted}
          deletable={index > 0 && mayDelete(comment.author, self, moderator)}
          refused={refusedEdits.get(comment.id)}
          onTookRefused={() => actions.tookRefusedEdit(comment.id)}
          onEdit={(text) => actions.editComment(c.id, comment.id, text)}
          onDelete={() => {
            // The confirmed question goes with its focused button, and later the reply with its
            // controls: the card holds focus meanwhile, not the page's body (a refusal leaves it there too).
            card.current?.focus();
            actions.deleteComment(c.id, comment.id);
          }}
        />
      ))}
      <div class="reply">
        <textarea
          ref={input}
          data-testid="reply-input"
          dir="auto"
          aria-label="Reply"
          placeholder="Reply…"
          readOnly={deleted}
          defaultValue={draftOf(c.id)}
          onInput={(e) => {
            keepDraft(c.id, e.currentTarget.value);
            // A refusal answered a press: once the words change it no longer speaks of them (the next press is told again).
            setProblem(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !deleted) reply();
          }}
        />
        {problem !== null && <span class="problem" role="alert">{problem}</span>}
        {/* Next to the field, where the reader is looking; the alert is heard wherever it stands. */}
        {deleted && (
          <p class="problem" role="alert" data-testid="deleted-note">
            This conversation was deleted while you were writing in it. What you wrote stays here until you close it.
          </p>
        )}
        {deleted ? (
          <div class="actions">
            <button type="button" data-testid="close-deleted" onClick={() => actions.closeDeleted(c.id)}>
              Close
            </button>
          </div>
        ) : (
          <div class="actions">
            <button type="button" class="primary" data-testid="reply-submit" onClick={reply}>
              Reply
            </button>
            <button type="button" data-testid="resolve" onClick={() => actions.toggleResolved(c.id)}>
              {c.resolved ? 'Reopen' : 'Resolve'}
            </button>
            {deletable && !confirmDelete.asking && (
              // Its own words (or, for a moderator, anyone's): a plain "Delete" beside each comment's "Delete" left which one removes the whole thread a guess.
              <button type="button" ref={confirmDelete.askRef} data-testid="delete-conversation" onClick={confirmDelete.ask}>
                Delete conversation
              </button>
            )}
          </div>
        )}
        {!deleted && confirmDelete.asking && deletable && (
          <ConfirmDelete
            state={confirmDelete}
            questionId={`delete-question-${c.id}`}
            question={deleteQuestion(c.comments.length - 1, whose)}
            confirmLabel="Delete"
            testIds={{ group: 'delete-confirm', confirm: 'delete-conversation-confirm', cancel: 'delete-conversation-cancel' }}
            onConfirm={() => actions.deleteConversation(c.id)}
          />
        )}
      </div>
    </article>
  );
}

/** What the confirmation asks: the replies, everyone's, go too; `whose`, the author's name when it is not the user's own. */
export function deleteQuestion(replies: number, whose: string | null = null): string {
  const it = whose === null ? 'this conversation' : `${whose}'s conversation`;
  if (replies === 0) return `Delete ${it} for everyone?`;
  return `Delete ${it} and its ${replies === 1 ? 'reply' : `${replies} replies`} for everyone?`;
}

/**
 * The same props for a card: nothing it shows can differ. The refused edits are a new Map every
 * render (view-state.ts), so only this conversation's comments' entries are compared. Why: the panel
 * renders every card on every change, and with 5,000 conversations one live change cost a render of
 * 5,000 cards (docs/benchmarks.md, section 8); now it renders the one that changed.
 */
export function sameCard(a: CardProps, b: CardProps): boolean {
  if (a.conversation !== b.conversation || a.orphaned !== b.orphaned || a.deleted !== b.deleted || a.self !== b.self || a.moderator !== b.moderator || a.active !== b.active || a.unseen !== b.unseen || a.actions !== b.actions) return false;
  // Nearly always none at all: then there is nothing to look up for each comment of each card.
  if (a.refusedEdits === b.refusedEdits || (a.refusedEdits.size === 0 && b.refusedEdits.size === 0)) return true;
  return b.conversation.comments.every((comment) => a.refusedEdits.get(comment.id) === b.refusedEdits.get(comment.id));
}

/** ConversationView, rendered again only when its props differ (sameCard). */
export const ConversationCard = memoized(ConversationView, sameCard);
