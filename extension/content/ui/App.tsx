import { useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { findIn, NO_FILTER, queryWords, type PanelFilter } from '../state/search.js';
import type { Actions, ViewState } from '../view.js';
import { AnnotateButton } from './AnnotateButton.js';
import { Announcer } from './Announcer.js';
import { Composer } from './Composer.js';
import { ErrorNotice } from './ErrorNotice.js';
import { MarksContext, SearchMarks } from './Marked.js';
import { Panel } from './Panel.js';
import { filterSummary } from './PanelSearch.js';
import { PointedContext } from './pointed.js';
import { TopBar } from './TopBar.js';
import { UndoNotice } from './UndoNotice.js';

export function App({ state, actions }: { state: ViewState; actions: Actions }) {
  // The panel's search is the UI's own (the controller never needs it); kept here, not in the panel,
  // so that closing and reopening the panel keeps what was being looked for.
  const [filter, setFilter] = useState<PanelFilter>(NO_FILTER);
  // Every render while the panel is open: live changes are filtered as they come. Cheap: each
  // conversation's text is folded once (state/search.ts), a pass is a substring test per word.
  const found = state.panelOpen ? findIn([state.anchored, state.orphaned], state.deleted, filter, state.self) : null;
  // What the cards mark (ui/Marked.tsx). Set at every render, so a card rendered again by a live
  // change marks by the current matches; the texts are told only when the user changes the filter.
  const marks = useMemo(() => new SearchMarks(), []);
  marks.words = useMemo(() => queryWords(filter.query), [filter.query]);
  marks.matched = found?.matched ?? null;
  useLayoutEffect(() => marks.filterChanged(), [filter]);
  // A conversation restored while the panel is closed has no card to take focus (the floating
  // notice's Undo left it on the panel toggle): the panel opened later does not take it either.
  useLayoutEffect(() => {
    if (state.restoring !== null && !state.panelOpen) actions.restoreFocused(state.restoring.serial);
  }, [state.restoring?.serial, state.panelOpen]);
  // Told when the user changes the filter (never NO_FILTER itself, the one at the start), not on
  // every live change: the count on screen follows those, the screen reader is not talked over.
  const filterTold = found === null || filter === NO_FILTER ? null : { key: filter, text: filterSummary(found) };
  return (
    <>
      <Announcer
        connection={state.connection}
        reason={state.reason}
        viewers={state.viewers}
        annotatable={state.affordance !== null && state.composer === null}
        announcement={state.announcement}
        filterTold={filterTold}
      />
      <TopBar
        connection={state.connection}
        reason={state.reason}
        viewers={state.viewers}
        users={state.users}
        collapsed={state.topbarCollapsed}
        panelOpen={state.panelOpen}
        count={state.anchored.length + state.orphaned.length - state.deleted.size}
        unseen={state.unseen.size}
        shortcut={state.shortcutKeys['toggle-panel']}
        onToggle={actions.toggleTopbar}
        onTogglePanel={actions.togglePanel}
      />
      {state.error !== null && <ErrorNotice message={state.error} onDismiss={actions.dismissError} />}
      {state.undo !== null && found === null && <UndoNotice serial={state.undo.serial} floating onUndo={actions.undoDelete} onDismiss={actions.dismissUndo} />}
      {state.affordance !== null && state.composer === null && (
        <AnnotateButton left={state.affordance.left} top={state.affordance.top} shortcut={state.shortcutKeys['annotate-selection']} onOpen={actions.openComposer} />
      )}
      {state.composer !== null && (
        <Composer
          at={state.composer}
          quote={state.composer.quote}
          draft={state.composer.draft}
          onSubmit={actions.submitComposer}
          onCancel={actions.cancelComposer}
        />
      )}
      {found !== null && (
        <MarksContext.Provider value={marks}>
          <PointedContext.Provider value={state.pointed}>
          <Panel anchored={state.anchored} orphaned={state.orphaned} deleted={state.deleted} self={state.self} moderator={state.moderator} activeId={state.activeId} unseen={state.unseen} refusedEdits={state.refusedEdits} undo={state.undo} restoring={state.restoring} focusRequest={state.panelFocus} actions={actions} filter={filter} found={found} onFilter={setFilter} />
          </PointedContext.Provider>
        </MarksContext.Provider>      )}
    </>
  );
}
