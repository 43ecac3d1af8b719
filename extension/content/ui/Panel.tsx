import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { User } from '../../../protocol/model.js';
import type { LocalConversation, UnseenKind } from '../../../protocol/runtime.js';
import type { Actions } from '../view.js';
import type { CardActions } from './ConversationView.js';
import { cardOf, useCardHover } from './card-hover.js';
import { focusedIn, focusLost } from './focus.js';
import type { Found, PanelFilter } from '../state/search.js';
import { whenNear } from './near-end.js';
import { PanelEntry } from './PanelEntry.js';
import { PANEL_ID } from './panel-id.js';
import { PanelSearch } from './PanelSearch.js';
import { numberEntries, type Numbered } from './list-positions.js';
import { WINDOW_STEP, windowEnd } from './panel-window.js';
import { UndoNotice } from './UndoNotice.js';

/** The card of conversation `id` in the panel's list, if it is rendered (ids are compared, never put in a selector). */
function cardIn(list: HTMLElement | null, id: string | null): HTMLElement | undefined {
  if (list === null || id === null) return undefined;
  return [...list.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].find((e) => e.dataset.id === id);
}

interface Props {
  anchored: LocalConversation[];
  orphaned: LocalConversation[];
  deleted: ReadonlySet<string>;
  self: User | null;
  moderator: boolean;
  activeId: string | null;
  /** New since the user's last visit, or with new replies (state/unseen.ts). */
  unseen: ReadonlyMap<string, UnseenKind>;
  refusedEdits: ReadonlyMap<string, string>;
  /** The user's own last deletion, offered for undo (ui/UndoNotice.tsx). */
  undo: { serial: number } | null;
  /** The conversation the user's Undo brought back, until its card takes focus (state/undo.ts). */
  restoring: { id: string; serial: number } | null;
  /** The keyboard shortcut opened the panel: the heading takes focus (ViewState.panelFocus). */
  focusRequest: number | null;
  actions: Actions;
  /** The search and quick filter (ui/PanelSearch.tsx), kept by the App across the panel's closing. */
  filter: PanelFilter;
  /** What the filter keeps (state/search.ts, findIn). */
  found: Found;
  onFilter(filter: PanelFilter): void;
}

/**
 * The search filters the panel, not the page: the page's highlights stay as they are. They show
 * where people have written, which a search for one thread does not change; dimming the others would
 * repaint thousands of `::highlight` ranges on each pause in typing (the costliest part of a change
 * at 5,000 conversations, docs/benchmarks.md, section 8), and the page's count would no longer be the
 * panel's, nor the popup's and badge's.
 *
 * A card is not taken from under the user by a change they did not make. The card that holds focus
 * (a reply or an edit being typed, a Resolve just pressed under "Open") stays when a change makes it
 * stop matching, marked so, until focus moves to another part of the panel or out to the page. The
 * open conversation (`activeId`) stays under any filter, marked so, until another is opened or the
 * user lets go of it (its ×, Escape inside it: see `letGo`): its highlight in the page is drawn open
 * (orange) from the same `activeId`, and an orange mark with no card to explain it read as a bug; a
 * panel reopened kept it too, so the rule is the same either way (docs/architecture.md, "Finding a
 * conversation"). A highlight clicked on the page opens its
 * conversation in the panel even when the filter would hide it: the user asked for that one. A
 * deleted one being written in stays (state/deletions.ts).
 * Hidden cards stay mounted (`hidden`, ui/PanelEntry.tsx): their drafts and edit fields are kept.
 *
 * Not every card is rendered: the first WINDOW_STEP the filter shows, in page order, then a "Show
 * more" button that renders the next ones, pressed or scrolled near (ui/panel-window.ts). A change of
 * the filter starts over from the first ones. The cards kept above (the open one, the one being
 * written in) are rendered wherever they are, in their place in page order; a card once rendered
 * stays mounted, hidden when the filter or a new start leaves it out, as a filtered-out one always
 * was. The search and the counts read every conversation, rendered or not.
 */
export function Panel({ anchored, orphaned, deleted, self, moderator, activeId, unseen, refusedEdits, undo, restoring, focusRequest, actions, filter, found, onFilter }: Props) {
  const { matched } = found;
  const list = useRef<HTMLDivElement>(null);
  /** The list of cards (`role="list"`) inside the scrolling `list`. */
  const items = useRef<HTMLDivElement>(null);
  const panel = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  /** Where focus was before it came into the panel: it goes back there when the panel closes. */
  const cameFrom = useRef<HTMLElement | null>(null);
  /** The last focused element inside, and its conversation: found again if a render removes it. */
  const lastFocused = useRef<{ el: HTMLElement; conversation: string | null } | null>(null);
  /** The conversation whose card holds focus while a filter is on, or outside the rendered window: it stays shown (see above). */
  const [holding, setHolding] = useState<string | null>(null);
  /** How many cards the user has had rendered under this filter (at least; see panel-window.ts). */
  const [grown, setGrown] = useState<{ filter: PanelFilter; limit: number }>({ filter, limit: WINDOW_STEP });
  /** The ids in the window at the last render, under its filter. */
  const windowed = useRef<{ filter: PanelFilter; ids: ReadonlySet<string> }>({ filter, ids: new Set() });
  /** The ids rendered at the last render, shown or hidden: they stay mounted. */
  const mounted = useRef<ReadonlySet<string>>(new Set());
  /** After "Show more": the first card it added, focused for a keyboard or screen-reader user to read on. */
  const focusNext = useRef<string | null>(null);
  const more = useRef<HTMLButtonElement>(null);
  /** The kept cards rendered below the window (the open one, far down the page), as of the last render. */
  const below = useRef<readonly string[]>([]);

  /** The card the pointer or focus is on, told to the controller: its highlight is drawn hovered (docs/architecture.md, "Linked hover"). */
  const hover = useCardHover(actions.hoverCard);

  const onFocusIn = (e: FocusEvent) => {
    const from = e.relatedTarget;
    if (from instanceof HTMLElement && !panel.current?.contains(from)) cameFrom.current = from;
    const el = e.target as HTMLElement;
    const conversation = cardOf(el);
    lastFocused.current = { el, conversation };
    hover.focused(conversation);
    // Unfiltered, nothing rendered is hidden: moving between cards renders nothing. A card outside the
    // window (the open one, rendered where it is) is held, so that opening another does not take it.
    setHolding(matched === null && (conversation === null || windowed.current.ids.has(conversation)) ? null : conversation);
  };
  // Focus that goes nowhere (the window left, a click on the page's plain text) keeps the card: the
  // user comes back to it.
  const onFocusOut = (e: FocusEvent) => {
    const to = e.relatedTarget;
    if (to instanceof Node && !panel.current?.contains(to)) setHolding(null);
    // Out of the panel (to nowhere included: a click on the page's text): no card is focused.
    if (!(to instanceof Node) || !panel.current?.contains(to)) hover.focused(null);
  };

  /**
   * Lets go of the open conversation (its card's ×, Escape inside the card): no card is drawn open and
   * no highlight orange, and the filter no longer keeps its card, which goes if the filter does not
   * match it (held for focus or not: the user asked for it to go). One the filter matches stays where
   * it is, held if it is outside the window (rendered there only while open). Focus follows once the
   * controller has rendered it let go (below).
   */
  const lettingGo = useRef<string | null>(null);
  const letGo = (id: string) => {
    const listed = matched === null || matched.has(id);
    setHolding((h) => (!listed ? (h === id ? null : h) : windowed.current.ids.has(id) ? h : id));
    lettingGo.current = id;
    actions.closeConversation(id, listed);
  };
  const letGoNow = useRef(letGo);
  letGoNow.current = letGo;
  // One object for the panel's life, as `actions` is: the cards are memoized on it (ConversationView.tsx, sameCard).
  const cardActions = useMemo<CardActions>(() => ({ ...actions, letGo: (id) => letGoNow.current(id) }), [actions]);

  // Let go of: focus stays where it was if that is still there and shown (a reply being typed after
  // Escape); else on the card (its × went with it), when it is still listed; else on the search field,
  // where what is listed is chosen. Before the effect below, which would look for the card alone.
  useLayoutEffect(() => {
    const id = lettingGo.current;
    if (id === null || id === activeId || !panel.current) return;
    lettingGo.current = null;
    const card = cardIn(list.current, id);
    const shown = card !== undefined && !card.closest('[hidden]');
    const at = focusedIn(panel.current);
    if (shown && at !== null && card.contains(at)) return;
    if (shown) card.focus();
    else panel.current.querySelector<HTMLElement>('[data-testid="search"]')?.focus();
  });

  // A deleted comment or conversation takes its focused Delete button with it, and the browser drops
  // focus to the top of the page: keep a keyboard user in the panel, on what is left of the thread.
  useLayoutEffect(() => {
    const last = lastFocused.current;
    if (!last || last.el.isConnected || !panel.current || !focusLost(panel.current)) return;
    const thread = cardIn(list.current, last.conversation);
    (thread ?? heading.current)?.focus();
  });

  // Closing (Escape, the close button, the top bar's toggle) gives focus back to where it came from,
  // or to the toggle that reopens the panel; it is not left on nodes about to be removed.
  useLayoutEffect(() => {
    const node = panel.current;
    return () => {
      if (!node || !node.contains(focusedIn(node))) return;
      const back = cameFrom.current?.isConnected ? cameFrom.current : (node.getRootNode() as ParentNode).querySelector<HTMLElement>(`[aria-controls="${PANEL_ID}"]`);
      back?.focus();
    };
  }, []);

  // Opened by the keyboard shortcut, from anywhere in the page: the UI sits after all of it, so a
  // keyboard or screen-reader user would otherwise hear nothing and tab through the whole page to
  // reach it. Focus goes to the heading, in the render that shows it; the page's element it came from
  // is `cameFrom`, where closing (the shortcut again, Escape, ×) gives it back. Taken once per request:
  // a render before the controller's next one still carries it.
  const focusTaken = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (focusRequest === null || focusRequest === focusTaken.current) return;
    focusTaken.current = focusRequest;
    actions.panelFocused(focusRequest);
    heading.current?.focus();
  });

  // Undo pressed: the notice went with the button that had focus, which the first effect above put on
  // the heading, right above where the notice was. Once the conversation is back (the worker lists it
  // at once, state/undo.ts), focus goes on to its card, scrolled into view; the status says it is
  // restored. Not if the user has meanwhile gone elsewhere. Refused, focus stays on the heading (or
  // comes back to it with the card that goes), and the refusal is an alert.
  const restoreTaken = useRef(0);
  useLayoutEffect(() => {
    if (restoring === null || restoring.serial === restoreTaken.current || !panel.current) return;
    const card = cardIn(list.current, restoring.id);
    if (!card || card.closest('[hidden]')) return;
    restoreTaken.current = restoring.serial;
    actions.restoreFocused(restoring.serial);
    if (!focusLost(panel.current) && focusedIn(panel.current) !== heading.current) return;
    card.scrollIntoView({ block: 'nearest' });
    card.focus({ preventScroll: true });
  });

  // "Show more" pressed: focus goes on to the first card it added (the button may be gone).
  useLayoutEffect(() => {
    const id = focusNext.current;
    focusNext.current = null;
    cardIn(list.current, id)?.focus();
  });

  // Bring the thread that was just opened (by a click on its highlight) into view.
  useEffect(() => {
    cardIn(list.current, activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  // The open conversation is exempt from the filter, whatever changed it (see above): its highlight
  // is drawn open (state/model.ts, shownActive), and its card must be there to say why.
  const kept = (c: LocalConversation) => c.id === activeId || c.id === holding || deleted.has(c.id);
  const shows = (c: LocalConversation) => matched === null || matched.has(c.id) || kept(c);

  // The window (see above): the first cards the filter shows, the ones kept wherever they are.
  const inOrder: [LocalConversation, boolean][] = [...anchored.map((c) => [c, false] as [LocalConversation, boolean]), ...orphaned.map((c) => [c, true] as [LocalConversation, boolean])];
  const shownIds = inOrder.filter(([c]) => shows(c)).map(([c]) => c.id);
  const held = windowed.current.filter === filter ? windowed.current.ids : new Set<string>();
  const end = windowEnd(shownIds, grown.filter === filter ? grown.limit : WINDOW_STEP, held);
  const inWindow = new Set(shownIds.slice(0, end));
  windowed.current = { filter, ids: inWindow };
  const rendered = (c: LocalConversation) => shows(c) && (inWindow.has(c.id) || kept(c));
  const listed = inOrder.filter(([c]) => rendered(c) || mounted.current.has(c.id));
  mounted.current = new Set(listed.map(([c]) => c.id));
  const notYet = shownIds.length - listed.filter(([c]) => rendered(c)).length;
  below.current = listed.filter(([c]) => rendered(c) && !inWindow.has(c.id)).map(([c]) => c.id);
  const growBy = (first: string | null) => {
    focusNext.current = first;
    setGrown({ filter, limit: end + WINDOW_STEP });
  };
  /** A kept card below the window is on screen: the user is reading it. */
  const readingBelow = () => {
    const view = list.current?.getBoundingClientRect();
    return below.current.some((id) => {
      const at = cardIn(list.current, id)?.getBoundingClientRect();
      return !!view && !!at && at.bottom > view.top && at.top < view.bottom;
    });
  };
  // Nearing the end renders more: a new observer for each window, which tells at once if the button is
  // still near (a tall panel, short cards), so the window grows until it fills the view and a screen more.
  // Not while the button holds focus: a keyboard user tabbing to it scrolls it into view, and growing
  // then would push it 100 cards down, focus with it, past cards they never read; their Enter grows it.
  // Nor while a card kept below the window (the open one, scrolled to) is on screen, right under the
  // button: the cards added would push it away (Firefox does not hold it in place), and with it held
  // in place the button would stay near and the window grow to the end; the button still grows it.
  useEffect(() => {
    const button = more.current;
    const stop = new AbortController();
    if (button && list.current) whenNear(button, list.current, () => focusedIn(button) !== button && !readingBelow() && growBy(null), stop.signal);
    return () => stop.abort();
  }, [end, filter, notYet > 0]);

  // "Show more" right after the window's last card: before the cards kept below it, it says where the gap is.
  const firstOrphaned = listed.findIndex(([c, orphaned]) => orphaned && rendered(c));
  const lastInWindow = listed.findLastIndex(([c]) => inWindow.has(c.id));
  const showMore = notYet > 0 && (
    <button key="more" type="button" ref={more} class="list-more" data-testid="panel-more" onClick={() => growBy(shownIds[end] ?? null)}>
      Show {Math.min(WINDOW_STEP, notYet)} more ({notYet} not listed yet)
    </button>
  );
  const item = ([c, orphaned]: [LocalConversation, boolean], i: number) => (
    <PanelEntry
      key={c.id}
      shown={rendered(c)}
      kept={matched !== null && !matched.has(c.id) && kept(c) && !deleted.has(c.id)}
      firstLost={i === firstOrphaned}
      after={i === lastInWindow && showMore}
      conversation={c}
      orphaned={orphaned}
      deleted={deleted.has(c.id)}
      self={self}
      moderator={moderator}
      active={c.id === activeId}
      unseen={unseen.get(c.id) ?? null}
      refusedEdits={refusedEdits}
      actions={cardActions}
    />
  );

  // The list's size and each card's place in it, for assistive technology (list-positions.ts): all
  // the cards the filter shows, rendered or not; set after every render, so a live change, a filter
  // and "Show more" keep them right.
  const numbered = useRef<Numbered | null>(null);
  useLayoutEffect(() => {
    numbered.current = items.current ? numberEntries(items.current, shownIds, numbered.current) : null;
  });

  return (
    <aside
      ref={panel}
      id={PANEL_ID}
      class="panel"
      data-testid="panel"
      aria-label="Conversations on this page"
      onFocusIn={onFocusIn}
      onFocusOut={onFocusOut}
      onPointerOver={hover.pointerOver}
      onPointerLeave={hover.pointerLeave}
      onKeyDown={(e) => {
        // An Escape a field inside already used (leaving an edit) is not also "close the panel"; inside
        // the open card, it lets go of that first, and the next one closes the panel (one layer a press).
        if (e.key !== 'Escape' || e.defaultPrevented) return;
        e.preventDefault();
        if (activeId !== null && cardOf(e.target) === activeId) letGo(activeId);
        else actions.togglePanel();
      }}
    >
      {/* The × before the heading, drawn after it (styles.ts): focus is on the heading after a deletion, and
          the Undo notice below it must be the next stop, not the panel's ×. */}
      <header>
        <button type="button" class="link icon" aria-label="Close conversations" data-testid="panel-close" onClick={() => actions.togglePanel()}>
          ×
        </button>
        <h2 ref={heading} tabIndex={-1}>
          Conversations
        </h2>
      </header>
      {undo !== null && <UndoNotice serial={undo.serial} floating={false} onUndo={actions.undoDelete} onDismiss={actions.dismissUndo} />}
      <PanelSearch filter={filter} shown={matched === null ? null : found.shown} total={found.total} onFilter={onFilter} />
      <div class="list" ref={list}>
        {anchored.length === 0 && orphaned.length === 0 && <p class="empty">No conversations yet. Select text on the page to start one.</p>}
        {matched !== null && found.shown === 0 && found.total > 0 && (
          <p class="empty" data-testid="search-empty">
            No conversation matches. Clear the search or choose All to see all {found.total}.
          </p>
        )}
        {/* One array of keyed children, not a section (nor two arrays: each would be a fragment of its
            own) for the lost ones: a conversation that moves between the two, its text gone from the page
            or back, keeps its view and the reply typed in it. */}
        {listed.length > 0 && (
          <div class="items" role="list" ref={items}>
            {listed.map(item)}
          </div>
        )}
      </div>
    </aside>
  );
}
