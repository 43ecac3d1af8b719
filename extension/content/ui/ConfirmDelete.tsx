import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * A Delete button that asks first, in place: the conversation's (ConversationView.tsx) and a reply's
 * (CommentView.tsx). One press was all it took to destroy someone's words (UX review). While the
 * question shows, focus is on its Cancel, so a second Enter or Space deletes nothing; Cancel or
 * Escape give it back to the Delete button. Moved in the render that shows or hides the question (a
 * layout effect): a frame later, a quick second Enter met no focused button at all.
 */
export function useConfirmDelete() {
  const [asking, setAsking] = useState(false);
  /** The Delete button that opens the question: where focus goes back to. */
  const askRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useLayoutEffect(() => {
    if (asking) cancelRef.current?.focus();
    else if (refocus.current) askRef.current?.focus();
    refocus.current = false;
  }, [asking]);
  return {
    asking,
    askRef,
    cancelRef,
    ask: () => setAsking(true),
    /** The user keeps it (Cancel, Escape): the question goes and focus goes back to Delete. */
    keep: () => {
      refocus.current = true;
      setAsking(false);
    },
    /** The question goes with focus left where the caller put it (confirmed; or Edit pressed meanwhile). */
    close: () => setAsking(false),
  };
}

export type ConfirmDeleteState = ReturnType<typeof useConfirmDelete>;

interface Props {
  state: ConfirmDeleteState;
  /** Unique in the shadow root: the question names the group for a screen reader. */
  questionId: string;
  question: string;
  confirmLabel: string;
  testIds: { group: string; confirm: string; cancel: string };
  onConfirm(): void;
}

/** The question, with its Delete and Cancel, shown while `state.asking`. */
export function ConfirmDelete({ state, questionId, question, confirmLabel, testIds, onConfirm }: Props) {
  return (
    <div
      class="confirm"
      role="group"
      aria-labelledby={questionId}
      data-testid={testIds.group}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        // Not also "close the panel" (Panel.tsx): this Escape was the answer to the question.
        e.preventDefault();
        state.keep();
      }}
    >
      <p id={questionId}>{question}</p>
      <button
        type="button"
        class="danger"
        data-testid={testIds.confirm}
        onClick={() => {
          state.close();
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" ref={state.cancelRef} data-testid={testIds.cancel} onClick={state.keep}>
        Cancel
      </button>
    </div>
  );
}
