import type { Shortcut } from '../../protocol/runtime.js';
import { composerActions } from './actions/composer.js';
import type { ActionContext } from './actions/context.js';
import { conversationActions } from './actions/conversation.js';
import { panelActions } from './actions/panel.js';
import { Anchors } from './highlighter/anchors.js';
import { watchHighlightClicks } from './highlighter/clicks.js';
import { createHighlighter } from './highlighter/highlights.js';
import { watchHighlightHover } from './highlighter/hover.js';
import { observeDom } from './highlighter/observe-dom.js';
import { sideBySide } from './page-fit/side-by-side.js';
import { watchPageMoves } from './page-moves.js';
import { openConnection, type PortLike } from './port/connection.js';
import { whenShown } from './prerender.js';
import { inSlices, nextFrame, renderLoop } from './render-loop.js';
import { followSelection } from './selection/follow.js';
import { lastLineRect } from './selection/rect.js';
import { shortcuts } from './shortcuts.js';
import { watchSelection } from './selection/watch.js';
import { createModel, shownActive, shownHover, shownPointed } from './state/model.js';
import { PointedCards } from './state/pointed-cards.js';
import { PageOrder } from './state/order.js';
import { OwnPosts } from './state/own-posts.js';
import { applyPortMessage } from './state/port-messages.js';
import { openedUnseen } from './state/unseen.js';
import type { Actions, ViewState } from './view.js';
import { viewState } from './view-state.js';

/**
 * Conversations from which a page's render passes may wait for frames under load (render-loop.ts):
 * at 1,000 a burst of 40 creates a second kept up without it (docs/benchmarks.md, section 8).
 */
const CROWDED = 1000;

export interface ControllerOptions {
  doc: Document;
  /** The `<gloss-root>` host: its events and mutations are ours, not the page's. */
  host: HTMLElement;
  connect(): PortLike;
  lastError?(): unknown;
  render(state: ViewState, actions: Actions): void;
  signal: AbortSignal;
}

/**
 * The glue between the page (selection, ranges, highlights), the port and the UI. It owns the
 * model and hands the UI a fresh snapshot of it to render; it has no UI code of its own. The parts,
 * each registering its listeners on `signal`: the model and what the port's messages change in it
 * (state/), the host page (highlighter/, selection/), the tab moving between pages (page-moves.ts),
 * and the actions the UI calls (actions/).
 */
export function startController({ doc, host, connect, lastError, render, signal }: ControllerOptions): void {
  const win = doc.defaultView as Window;
  const root = () => doc.body ?? doc.documentElement;
  const model = createModel();
  const ownPosts = new OwnPosts();
  const anchors = new Anchors(root);
  const order = new PageOrder();
  let orderedAfter = 0;

  const highlighter = createHighlighter(doc);
  /**
   * What the pointer and the focus link (docs/architecture.md, "Linked hover"): both change without a
   * render pass, which at 5,000 conversations added about 0.2 s of main thread per change. The hovered
   * card's highlight is painted alone, from that one conversation's ranges (the open one keeps its
   * orange: nothing drawn over it; one kept only for the words written in it is not painted at all);
   * the cards under the pointer are told through `pointed`. Each render pass does both again.
   */
  const pointed = new PointedCards();
  const paintHover = () => {
    const id = shownHover(model);
    highlighter.hover(id === null || id === shownActive(model) || !model.conversations.byId.has(id) ? undefined : anchors.partsOf(id));
  };
  signal.addEventListener('abort', () => highlighter.teardown(), { once: true });
  const styleNode = doc.getElementById('gloss-highlight-style');

  // Declared before anything that can call it, the port included; its first pass runs after this
  // function returns, when `actions` is there.
  const live = () => anchors.anchored((id) => model.conversations.byId.has(id));
  // Locating many conversations (a join, the page's DOM changed) goes on in slices after the pass
  // that started it, each that found something followed by a render (highlighter/sliced-anchoring.ts).
  // Their renders do not wait for frames (render-loop.ts): the slices already leave the main thread
  // between them, and a join's last slice is what paints the page in full.
  const anchorRest = inSlices(signal, () => anchors.continueAnchoring(), () => schedule());
  // Set once the DOM observer is on, before the first pass runs.
  let takeDomChanges = () => {};
  // Set once the actions are there, before the port can bring a shortcut.
  let shortcut: (command: Shortcut) => void = () => {};
  // The page narrowed beside the open panel, or back (page-fit/side-by-side.ts); a change of the
  // window's width while it is open asks for a pass, which decides again.
  const fitPage = sideBySide(doc, host, () => schedule(), signal);
  const schedule = renderLoop(signal, (reanchorAll) => {
    // Changes of the page made earlier in this task, not reported yet, drop the kept read of its text
    // before anything is located on it (highlighter/sliced-anchoring.ts).
    takeDomChanges();
    // A conversation kept for the words written in it (state/deletions.ts) keeps its place in the
    // panel's page order, but is no longer painted nor clicked in the page.
    anchors.update([...model.conversations.byId.values(), ...model.deletedWhileWriting.values()], reanchorAll);
    if (anchors.busy) anchorRest();
    if (anchors.reanchorings !== orderedAfter) {
      orderedAfter = anchors.reanchorings;
      order.forget();
    }
    if (model.activeId !== null && !model.conversations.byId.has(model.activeId)) model.activeId = null;
    // Here, where every way of opening a conversation ends (a card, a highlight, a link, an undo): its mark goes once it shows open.
    const opened = openedUnseen(model);
    if (opened !== null) port.notify({ type: 'seen', id: opened });
    // Before the view is computed: the page's text moved, and the Annotate button is placed by the
    // selection's last line as measured (the composer's is measured in viewState).
    const looking = model.activeId === null ? null : (anchors.get(model.activeId) ?? null);
    if (fitPage(model.panelOpen, looking)) {
      if (model.selection) model.selection = { ...model.selection, rect: lastLineRect(model.selection.range) };
      highlighter.layoutChanged();
    }
    if (model.hoveredCard !== null && !model.conversations.byId.has(model.hoveredCard)) model.hoveredCard = null;
    pointed.set(shownPointed(model));
    const view = viewState(model, anchors, win, order, pointed);
    highlighter.paint(live(), shownActive(model));
    paintHover();
    render(view, actions);
  }, { frame: nextFrame(win), crowded: () => model.conversations.byId.size >= CROWDED });
  // What the port and the page's DOM bring may wait for a frame under load (render-loop.ts); what the
  // reader does, and the anchoring slices, `schedule`, never do.
  const scheduleForPage = (reanchorAll = false) => schedule(reanchorAll, true);

  const port = openConnection(
    connect,
    {
      portState(state) {
        model.connection = state;
        // The port's own state says nothing about the server: why it was offline is unknown again.
        model.reason = null;
        scheduleForPage();
      },
      message(message) {
        // A shortcut is the user's own doing: it renders as their clicks do, never waiting for a frame.
        if (message.type === 'command') return shortcut(message.command);
        applyPortMessage(model, ownPosts, message);
        scheduleForPage();
      },
    },
    signal,
    lastError,
    () => win.location.href,
    (start) => whenShown(doc, start, signal),
  );

  const { movedToAnotherPage } = watchPageMoves({ win, model, anchors, ownPosts, port, schedule, signal });

  const context: ActionContext = {
    doc,
    win,
    root,
    model,
    anchors,
    ownPosts,
    send: (message) => port.send(message),
    schedule,
    hoverChanged: paintHover,
    movedToAnotherPage,
  };
  const actions: Actions = { ...panelActions(context), ...composerActions(context), ...conversationActions(context) };
  shortcut = shortcuts(context, host, actions);

  watchSelection(
    doc,
    root,
    host,
    (next) => {
      // Every click on the page reports a selection, mostly an empty one after an empty one: with
      // nothing to change, a pass over thousands of conversations would be paid per click.
      if (next === null && model.selection === null) return;
      model.selection = next;
      schedule();
    },
    signal,
  );
  // A change of the page's DOM can move its text: the positions kept of the highlights near the viewport go too.
  takeDomChanges = observeDom(
    doc.documentElement,
    styleNode ? [host, styleNode] : [host],
    () => {
      highlighter.layoutChanged();
      scheduleForPage(true);
    },
    signal,
    { onStale: () => anchors.pageChanged() },
  );
  watchHighlightClicks(
    doc,
    host,
    live,
    (id) => {
      model.activeId = id;
      model.panelOpen = true;
      schedule();
    },
    signal,
  );
  // The pointer on highlighted text marks its cards: only worth a test while the panel shows them.
  watchHighlightHover(
    doc,
    host,
    live,
    () => model.panelOpen,
    (ids) => {
      model.pointedInPage = ids;
      pointed.set(shownPointed(model));
    },
    signal,
  );
  followSelection(win, model, () => schedule(), signal);

  schedule();
}
