import { useEffect, useRef, useState } from 'preact/hooks';
import { problemAfter } from '../state/announce.js';

interface Props {
  left: number;
  top: number;
  quote: string;
  onSubmit(text: string): string | null;
  onCancel(): void;
}

export function Composer({ left, top, quote, onSubmit, onCancel }: Props) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => input.current?.focus(), []);

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
      style={{ left: `${left}px`, top: `${top}px` }}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
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
        onInput={(e) => setText(e.currentTarget.value)}
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
        <button type="submit" class="primary" data-testid="composer-submit">
          Comment
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
