import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Comment } from '../../../protocol/model.js';
import { problemAfter } from '../state/announce.js';
import { shownName } from '../state/names.js';
import { dropEditDraft, editDraftOf, keepEditDraft } from '../state/drafts.js';
import { CommentText } from './CommentText.js';
import { ConfirmDelete, useConfirmDelete } from './ConfirmDelete.js';
import { MarkedText } from './Marked.js';
import { formatFullTime, formatTime } from './format-time.js';

interface Props {
  /** Its conversation's id: the search marks words only in the cards the filter keeps (ui/Marked.tsx). */
  card: string;
  comment: Comment;
  own: boolean;
  /** Its conversation was deleted: what the edit field holds can be read and copied, not saved. */
  readOnly: boolean;
  /**
   * The panel offers Delete on it: a reply (the first comment opens the conversation and goes with
   * it, not alone) that the user may delete (state/owner.ts mayDelete: their own, or anyone's for a
   * moderator, who never edits it).
   */
  deletable: boolean;
  /** The user's text of an edit of this comment the server refused as a conflict, to give back. */
  refused?: string | undefined;
  /** The refused text is in the edit field now (or was left for the edit being typed). */
  onTookRefused(): void;
  onEdit(text: string): string | null;
  onDelete(): void;
}

/** Longer than this, or with more lines, a comment shows its first lines and a "Show more" button. */
const LONG_CHARACTERS = 600;
const LONG_LINES = 10;

/**
 * Whether a comment is shown folded: a comment may be 2,000 characters, a card of several screens
 * that the reader scrolled past to reach the next conversation (in a 400 px window, ten).
 */
export function isLongComment(text: string): boolean {
  return text.length > LONG_CHARACTERS || text.split('\n').length > LONG_LINES;
}

export function CommentView({ card, comment, own, readOnly, deletable, refused, onTookRefused, onEdit, onDelete }: Props) {
  const [unfolded, setUnfolded] = useState(false);
  // Once per render: the fold and its button must agree, and the test splits the text into lines.
  const long = isLongComment(comment.text);
  // Opened again after the panel was closed mid-edit: back in the field, with what was typed.
  const [editing, setEditing] = useState(() => editDraftOf(comment.id) !== undefined);
  const [problem, setProblem] = useState<string | null>(null);
  /** The field holds an edit the server refused because the comment changed: their version is shown with it. */
  const [conflicted, setConflicted] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  // The Edit button and the field replace each other: without moving focus along, a keyboard user
  // who pressed one would be dropped at the top of the page when it goes away. Moved in the render
  // that swaps them (a layout effect), not a frame later, where the keys typed meanwhile were lost.
  const moveFocus = useRef(false);
  useLayoutEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    (editing ? input : editButton).current?.focus();
  }, [editing]);
  // An edit refused because someone changed the comment meanwhile: the words come back into the
  // field, on top of the version now shown, for the user to save again (over theirs) or cancel. An
  // edit being typed when the refusal comes is left as it is: the user's latest words win.
  useEffect(() => {
    if (refused === undefined) return;
    if (editDraftOf(comment.id) === undefined) {
      keepEditDraft(comment.id, refused);
      setProblem(null);
      setEditing(true);
    }
    setConflicted(true);
    onTookRefused();
  }, [refused]);
  const stopEditing = () => {
    setConflicted(false);
    dropEditDraft(comment.id);
    moveFocus.current = true;
    setEditing(false);
  };

  // Someone's words, gone for everyone with no undo: asked first, as the conversation's Delete is (ConfirmDelete.tsx).
  const confirmDelete = useConfirmDelete();

  const save = () => {
    const result = onEdit(input.current?.value ?? '');
    // A second press held or refused alike is heard again (state/announce.ts).
    setProblem((before) => problemAfter(before, result));
    if (result === null) stopEditing();
  };

  return (
    <div class="comment" data-testid="comment" data-id={comment.id}>
      <div class="meta">
        <span class="author" data-testid="comment-author" dir="auto">
          <MarkedText text={shownName(comment.author)} card={card} />
        </span>
        <time dateTime={new Date(comment.createdAt).toISOString()} title={formatFullTime(comment.createdAt)}>
          {formatTime(comment.createdAt)}
        </time>
        {comment.editedAt !== undefined && <span class="edited" title={formatFullTime(comment.editedAt)}>(edited)</span>}
      </div>
      {editing ? (
        <div class="reply">
          <textarea
            ref={input}
            data-testid="edit-input"
            dir="auto"
            aria-label="Edit comment"
            readOnly={readOnly}
            defaultValue={editDraftOf(comment.id) ?? comment.text}
            onInput={(e) => {
              keepEditDraft(comment.id, e.currentTarget.value);
              // As the reply field's (ConversationView.tsx): a refusal of the words before is stale once they change.
              setProblem(null);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                // Handled: the panel around must not close on the same key.
                e.preventDefault();
                stopEditing();
              }
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !readOnly) save();
            }}
          />
          {conflicted && (
            <p class="problem" data-testid="edit-conflict" dir="auto">
              Changed meanwhile; it now reads: “{comment.text}”. Save yours to replace it, or Cancel to keep it.
            </p>
          )}
          {problem !== null && <span class="problem" role="alert">{problem}</span>}
          {!readOnly && (
            <div class="actions">
              <button type="button" class="primary" data-testid="edit-save" onClick={save}>
                Save
              </button>
              <button type="button" onClick={stopEditing}>
                Cancel
              </button>
            </div>
          )}
        </div>
      ) : (
        <>
          {/* Folded by height only: the whole text stays in the DOM, for screen readers and copying; a link
              tabbed to in the hidden part unfolds it, or focus would be out of sight. */}
          <div class={long && !unfolded ? 'text folded' : 'text'} id={`comment-text-${comment.id}`} data-testid="comment-text" dir="auto" onFocusIn={() => setUnfolded(true)}>
            <CommentText text={comment.text} card={card} />
          </div>
          {long && (
            <button type="button" class="link more" data-testid="comment-more" aria-expanded={unfolded} aria-controls={`comment-text-${comment.id}`} onClick={() => setUnfolded(!unfolded)}>
              {unfolded ? 'Show less' : 'Show more'}
            </button>
          )}
        </>
      )}
      {(own || deletable) && !editing && !readOnly && (
        <div class="actions">
          {own && (
            <button
              ref={editButton}
              type="button"
              class="link"
              data-testid="edit-comment"
              onClick={() => {
                confirmDelete.close();
                setProblem(null);
                keepEditDraft(comment.id, comment.text);
                moveFocus.current = true;
                setEditing(true);
              }}
            >
              Edit
            </button>
          )}
          {deletable && !confirmDelete.asking && (
            <button type="button" ref={confirmDelete.askRef} class="link" data-testid="delete-comment" onClick={confirmDelete.ask}>
              Delete
            </button>
          )}
        </div>
      )}
      {deletable && !editing && !readOnly && confirmDelete.asking && (
        <ConfirmDelete
          state={confirmDelete}
          questionId={`delete-question-${comment.id}`}
          // Someone else's (a moderator's Delete): the question says whose.
          question={own ? 'Delete this reply? This cannot be undone.' : `Delete ${shownName(comment.author)}'s reply? This cannot be undone.`}
          confirmLabel="Delete reply"
          testIds={{ group: 'delete-comment-question', confirm: 'delete-comment-confirm', cancel: 'delete-comment-cancel' }}
          onConfirm={onDelete}
        />
      )}
    </div>
  );
}
