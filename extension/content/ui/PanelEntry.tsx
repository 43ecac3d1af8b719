import { ConversationCard, sameCard, type CardProps } from './ConversationView.js';
import { memoized } from './memoized.js';

interface Props extends CardProps {
  /** The panel's filter shows it (ui/Panel.tsx): it matches, or is kept for the user. */
  shown: boolean;
  /** Shown though it does not match the filter: the open one, or the one being written in. */
  kept: boolean;
}

/**
 * A card in the panel's list, in a wrapper the filter hides: hiding or showing one changes the
 * wrapper's `hidden`, not the card's props, so the card itself is not rendered again, and clearing a
 * search over thousands renders none. The entry is memoized too, so a render of the panel (every
 * live change) costs one comparison per card, as it did before the filter.
 */
function Entry({ shown, kept, ...card }: Props) {
  return (
    <div class="entry" hidden={!shown}>
      {kept && (
        <p class="kept-note" data-testid="filter-kept">
          Kept while you are in it: it does not match the filter
        </p>
      )}
      <ConversationCard {...card} />
    </div>
  );
}

export const PanelEntry = memoized(Entry, (a, b) => a.shown === b.shown && a.kept === b.kept && sameCard(a, b));
