import type { Actions, ViewState } from '../view.js';
import { AnnotateButton } from './AnnotateButton.js';
import { Announcer } from './Announcer.js';
import { Composer } from './Composer.js';
import { ErrorNotice } from './ErrorNotice.js';
import { Panel } from './Panel.js';
import { TopBar } from './TopBar.js';

export function App({ state, actions }: { state: ViewState; actions: Actions }) {
  return (
    <>
      <Announcer
        connection={state.connection}
        reason={state.reason}
        viewers={state.viewers}
        annotatable={state.affordance !== null && state.composer === null}
        announcement={state.announcement}
      />
      <TopBar
        connection={state.connection}
        reason={state.reason}
        viewers={state.viewers}
        users={state.users}
        collapsed={state.topbarCollapsed}
        panelOpen={state.panelOpen}
        count={state.anchored.length + state.orphaned.length - state.deleted.size}
        onToggle={actions.toggleTopbar}
        onTogglePanel={actions.togglePanel}
      />
      {state.error !== null && <ErrorNotice message={state.error} onDismiss={actions.dismissError} />}
      {state.affordance !== null && state.composer === null && (
        <AnnotateButton left={state.affordance.left} top={state.affordance.top} onOpen={actions.openComposer} />
      )}
      {state.composer !== null && (
        <Composer
          left={state.composer.left}
          top={state.composer.top}
          quote={state.composer.quote}
          onSubmit={actions.submitComposer}
          onCancel={actions.cancelComposer}
        />
      )}
      {state.panelOpen && (
        <Panel anchored={state.anchored} orphaned={state.orphaned} deleted={state.deleted} self={state.self} activeId={state.activeId} refusedEdits={state.refusedEdits} actions={actions} />
      )}
    </>
  );
}
