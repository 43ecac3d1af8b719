import { useEffect, useRef, useState } from 'preact/hooks';
import { FILTER_MODES, MAX_QUERY, type FilterMode, type Found, type PanelFilter } from '../state/search.js';

/**
 * How long typing must pause before the list is filtered: each filtering walks every conversation
 * and every card's place in the list (thousands on a busy page), so it runs once per pause, not per
 * key. The field itself is this component's state, so a key press renders nothing else.
 */
export const SEARCH_SETTLE_MS = 150;

/** Ids scoped to our shadow root. */
const COUNT_ID = 'gloss-search-count';

const MODE_LABELS: Record<FilterMode, { label: string; title?: string }> = {
  all: { label: 'All' },
  open: { label: 'Open' },
  resolved: { label: 'Resolved' },
  mine: { label: 'Mine', title: 'Conversations you started or replied to' },
};

/** "3 of 120 conversations": what the filter keeps, out of what the page has. */
export function countText(shown: number, total: number): string {
  return `${shown} of ${total} ${total === 1 ? 'conversation' : 'conversations'}`;
}

/** What the screen reader is told when the filter changes (ui/Announcer.tsx). */
export function filterSummary(found: Found): string {
  return found.matched === null ? `All ${found.total} ${found.total === 1 ? 'conversation' : 'conversations'} shown` : countText(found.shown, found.total);
}

interface Props {
  filter: PanelFilter;
  /** How many the filter keeps (null: nothing is filtered) and how many there are. */
  shown: number | null;
  total: number;
  onFilter(filter: PanelFilter): void;
}

export function PanelSearch({ filter, shown, total, onFilter }: Props) {
  // Reopened panel: the field shows the search still applied.
  const [text, setText] = useState(filter.query);
  const field = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancel = () => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
  };
  useEffect(() => cancel, []);

  const commit = (query: string, mode = filter.mode) => {
    cancel();
    onFilter({ query, mode });
  };
  const clear = () => {
    setText('');
    commit('');
    field.current?.focus();
  };

  return (
    <div class="search" role="search" data-testid="search-area">
      <div class="search-field">
        <input
          ref={field}
          type="search"
          data-testid="search"
          aria-label="Search the conversations"
          aria-describedby={shown === null ? undefined : COUNT_ID}
          placeholder="Search quotes, comments, names…"
          maxLength={MAX_QUERY}
          autoComplete="off"
          spellcheck={false}
          value={text}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setText(value);
            cancel();
            timer.current = setTimeout(() => commit(value), SEARCH_SETTLE_MS);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit(text);
            // Escape empties a field that has words; an empty one lets it through, to close the panel.
            if (e.key === 'Escape' && text !== '') {
              e.preventDefault();
              clear();
            }
          }}
        />
        {text !== '' && (
          <button type="button" class="link icon clear" data-testid="search-clear" aria-label="Clear the search" onClick={clear}>
            ×
          </button>
        )}
      </div>
      {/* Toggle buttons, one pressed: each is a plain control with its own border and focus ring (the
          forced-colours tests measure every control's ring), and one Tab stop each. */}
      <div class="filters" role="group" aria-label="Show">
        {FILTER_MODES.map((mode) => (
          <button key={mode} type="button" data-testid={`filter-${mode}`} aria-pressed={filter.mode === mode} title={MODE_LABELS[mode].title} onClick={() => commit(text, mode)}>
            {MODE_LABELS[mode].label}
          </button>
        ))}
      </div>
      {shown !== null && (
        <p class="count" id={COUNT_ID} data-testid="search-count">
          {countText(shown, total)}
        </p>
      )}
    </div>
  );
}
