import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { problemAfter } from '../state/announce.js';

interface Props {
  /** By its top edge (below the selection) or its bottom edge (above it): selection/placement.ts. */
  at: { left: number; top: number } | { left: number; bottom: number };
  quote: string;
  /** The words it opens with: those of a conversation the server refused, given back. */
  draft?: string;
  onSubmit(text: string): string | null;
  onCancel(): void;
}

export function Composer({ at, quote, draft = '', onSubmit, onCancel }: Props) {
  const [text, setText] = useState(draft);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  // A composer given back after a refusal may open while the user types elsewhere (the answer to a
  // create made offline comes once the server is back): it does not take the caret from a field.
  // In the render that shows it (a layout effect): a passive effect waits for the next frame and a
  // task after it, and on a slow machine the words typed right after "a" went to the page meanwhile.
  useLayoutEffect(() => {
    if (draft === '' || !typingElsewhere(input.current)) input.current?.focus();
  }, []);

  const submit = () => {
    // Read the field itself: text set by script or autofill may not have fired an input event.
    const result = onSubmit(input.current?.value ?? text);
    // A second press refused alike is heard again (state/announce.ts).
    setProblem((before) => problemAfter(before, result));
    if (result === null) setText('');
  };

  return (
    <form
      class="composer"
      data-testid="composer"
      role="dialog"
      aria-label="New conversation"
      style={'top' in at ? { left: `${at.left}px`, top: `${at.top}px` } : { left: `${at.left}px`, bottom: `${at.bottom}px` }}
      // Never posts on a submit event: the page's script can start a TRUSTED one (`form.requestSubmit()`
      // through our open root, isTrusted true, which ui/root.ts cannot tell from the user's), and would
      // post its own text in the user's name into a composer the user opened. Posting takes the Comment
      // button's click or Ctrl+Enter in the field, which a page can only fake untrusted (dropped by
      // root.ts). The default is still prevented: a form submitted would navigate the page.
      onSubmit={(e) => e.preventDefault()}
      // On its buttons too, not only in the field: a keyboard user tabs to Comment and may change their mind there.
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        e.preventDefault();
        onCancel();
      }}
    >
      <span class="quote" dir="auto">
        {quote}
      </span>
      <textarea
        ref={input}
        aria-label="Comment"
        dir="auto"
        placeholder="Start a conversation…"
        value={text}
        onInput={(e) => {
          setText(e.currentTarget.value);
          // As under a card's fields (ConversationView.tsx): a refusal spoke of the words pressed, not of these.
          setProblem(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
        }}
      />
      {problem !== null && (
        <span class="problem" role="alert" data-testid="composer-problem">
          {problem}
        </span>
      )}
      <div class="actions">
        <button type="button" class="primary" data-testid="composer-submit" onClick={submit}>
          Comment
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Whether the focus is in a text field (of the page or of Gloss) other than `own`. */
function typingElsewhere(own: HTMLElement | null): boolean {
  let active = own?.ownerDocument.activeElement ?? null;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  if (active === null || active === own) return false;
  return active.localName === 'textarea' || active.localName === 'input' || (active as HTMLElement).isContentEditable;
}
