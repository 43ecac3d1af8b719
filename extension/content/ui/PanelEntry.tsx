import type { ComponentChildren } from 'preact';
import { ConversationCard, sameCard, type CardProps } from './ConversationView.js';
import { memoized } from './memoized.js';

interface Props extends CardProps {
  /** The panel's filter shows it (ui/Panel.tsx): it matches, or is kept for the user. */
  shown: boolean;
  /** Shown though it does not match the filter: the open one (`active`), or the one being written in. */
  kept: boolean;
  /** The first of those not found on the page: the heading "Not found on this page" opens its entry. */
  firstLost: boolean;
  /** After its card, in its entry: "Show more", when it is the last card of the window (ui/Panel.tsx). */
  after: ComponentChildren;
}

/**
 * A card in the panel's list, in a wrapper the filter hides: hiding or showing one changes the
 * wrapper's `hidden`, not the card's props, so the card itself is not rendered again, and clearing a
 * search over thousands renders none. The entry is memoized too, so a render of the panel (every
 * live change) costs one comparison per card, as it did before the filter.
 *
 * The wrapper is the list's item (`role="listitem"`; its place and the list's size are set on it by
 * list-positions.ts). The heading of the lost ones and "Show more" are inside an entry, not between
 * entries: a list owns list items only, and each of the two belongs with the card it is next to.
 */
function Entry({ shown, kept, firstLost, after, ...card }: Props) {
  return (
    <div class="entry" role="listitem" data-entry={card.conversation.id} hidden={!shown}>
      {firstLost && (
        <h3 class="orphaned" data-testid="orphaned">
          Not found on this page
        </h3>
      )}
      {/* The open one stays until let go of, and says how; one kept for holding focus goes when focus leaves it. */}
      {kept && (
        <p class="kept-note" data-testid="filter-kept">
          {card.active ? 'Kept while it is open: it does not match the filter. Close it with its \u00d7, or Escape in it.' : 'Kept while you are in it: it does not match the filter'}
        </p>
      )}
      <ConversationCard {...card} />
      {after}
    </div>
  );
}

/** Rendered again when its card's props change, or its wrapper's; the entry holding "Show more" with every render of the panel (its counts). */
export const PanelEntry = memoized(Entry, (a, b) => a.shown === b.shown && a.kept === b.kept && a.firstLost === b.firstLost && !a.after && !b.after && sameCard(a, b));
