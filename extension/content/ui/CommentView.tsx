import { useRef, useState } from 'preact/hooks';
import type { Comment } from '../../../protocol/model.js';
import { formatTime } from './format-time.js';

interface Props {
  comment: Comment;
  own: boolean;
  /** The first comment opens the conversation: it goes away with the conversation, not alone. */
  deletable: boolean;
  onEdit(text: string): string | null;
  onDelete(): void;
}

export function CommentView({ comment, own, deletable, onEdit, onDelete }: Props) {
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  const save = () => {
    const result = onEdit(input.current?.value ?? '');
    setProblem(result);
    if (result === null) setEditing(false);
  };

  return (
    <div class="comment" data-testid="comment" data-id={comment.id}>
      <div class="meta">
        <span class="author" data-testid="comment-author">
          {comment.author.name || 'Anonymous'}
        </span>
        <time dateTime={new Date(comment.createdAt).toISOString()} title={new Date(comment.createdAt).toLocaleString()}>
          {formatTime(comment.createdAt)}
        </time>
        {comment.editedAt !== undefined && <span title={new Date(comment.editedAt).toLocaleString()}>(edited)</span>}
      </div>
      {editing ? (
        <div class="reply">
          <textarea
            ref={input}
            data-testid="edit-input"
            aria-label="Edit comment"
            defaultValue={comment.text}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setEditing(false);
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) save();
            }}
          />
          {problem !== null && <span class="problem">{problem}</span>}
          <div class="actions">
            <button type="button" class="primary" data-testid="edit-save" onClick={save}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div class="text" data-testid="comment-text">
          {comment.text}
        </div>
      )}
      {own && !editing && (
        <div class="actions">
          <button
            type="button"
            class="link"
            data-testid="edit-comment"
            onClick={() => {
              setProblem(null);
              setEditing(true);
            }}
          >
            Edit
          </button>
          {deletable && (
            <button type="button" class="link" data-testid="delete-comment" onClick={onDelete}>
              Delete
            </button>
          )}
        </div>
      )}
    </div>
  );
}
