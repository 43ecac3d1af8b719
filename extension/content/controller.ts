import * as v from 'valibot';
import { Target, type Selector, type User } from '../../protocol/model.js';
import type { ConnectionState, ContentToBackground, LocalConversation } from '../../protocol/runtime.js';
import { uuidv7 } from '../../protocol/ids.js';
import { LIMITS } from '../../protocol/limits.js';
import { tryNormalizePageUrl } from '../../protocol/url.js';
import { anchor, anchorAll, describe } from './anchoring/index.js';
import { createHighlighter } from './highlighter/highlights.js';
import { caretAt, hitTest } from './highlighter/hit-test.js';
import { observeDom } from './highlighter/observe-dom.js';
import { watchAddress, watchBackForwardCache } from './navigation.js';
import { openConnection, type ContentMessage, type PortLike } from './port/connection.js';
import { whenShown } from './prerender.js';
import { composerTarget, currentRange, type ComposerTarget } from './selection/composer-target.js';
import { lastLineRect } from './selection/rect.js';
import { watchSelection, type PageSelection } from './selection/watch.js';
import { orderByPage } from './state/order.js';
import { addLocal, applyMessage, EMPTY_STATE, type ConversationState } from './state/store.js';
import { commentTextProblem } from './state/text.js';
import { refusalText } from './state/refusal.js';
import { OwnPosts, type PostKind } from './state/own-posts.js';
import type { Actions, ViewState } from './view.js';

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
 * view state and hands the UI a fresh snapshot of it to render; it has no UI code of its own.
 */
export function startController({ doc, host, connect, lastError, render, signal }: ControllerOptions): void {
  const win = doc.defaultView as Window;
  const root = () => doc.body ?? doc.documentElement;

  let conversations: ConversationState = EMPTY_STATE;
  /** Anchors by conversation id (null: did not anchor). Targets never change, so an entry stays valid until the DOM does. */
  let ranges = new Map<string, Range | null>();
  let connection: ConnectionState = 'connecting';
  let refused = false;
  let self: User | null = null;
  let presence: { viewers: number; users: User[] } = { viewers: 0, users: [] };
  let panelOpen = false;
  let topbarCollapsed = false;
  let activeId: string | null = null;
  let selection: PageSelection | null = null;
  /** Kept across a same-document navigation: what was typed is not lost (composer-target.ts). */
  let composer: ComposerTarget | null = null;
  let error: string | null = null;
  /** What the screen reader is told next (ui/Announcer.tsx); the serial tells a repeat apart. */
  let announcement: { serial: number; text: string } | null = null;
  const ownPosts = new OwnPosts();
  // Render batching (see schedule): declared before anything that can call it, the port included.
  let scheduled = false;
  let reanchorAll = false;

  const highlighter = createHighlighter(doc);
  signal.addEventListener('abort', () => highlighter.teardown(), { once: true });
  const styleNode = doc.getElementById('gloss-highlight-style');

  const port = openConnection(
    connect,
    {
      portState(state) {
        connection = state;
        // The port's own state says nothing about the server: why it was offline is unknown again.
        refused = false;
        schedule();
      },
      message: onMessage,
    },
    signal,
    lastError,
    () => tryNormalizePageUrl(win.location.href),
    (start) => whenShown(doc, start, signal),
  );

  function onMessage(message: ContentMessage) {
    switch (message.type) {
      case 'connection':
        connection = message.state;
        refused = message.refused;
        self = message.self;
        break;
      case 'presence':
        presence = { viewers: message.viewers, users: message.users };
        break;
      case 'open-panel':
        panelOpen = true;
        topbarCollapsed = false;
        break;
      case 'op-failed':
        // Heard: the notice is an alert.
        error = refusalText(message.error);
        ownPosts.failed(message.broadcastId);
        conversations = applyMessage(conversations, message);
        break;
      case 'remove':
        ownPosts.forget(message.id);
        conversations = applyMessage(conversations, message);
        break;
      case 'upsert':
        conversations = applyMessage(conversations, message);
        tellPosted(ownPosts.confirmed(message.conversation));
        break;
      case 'snapshot':
        conversations = applyMessage(conversations, message);
        tellPosted(message.conversations.flatMap((c) => ownPosts.confirmed(c)));
        break;
      default:
        conversations = applyMessage(conversations, message);
    }
    schedule();
  }

  function announce(text: string) {
    announcement = { serial: (announcement?.serial ?? 0) + 1, text };
  }

  function tellPosted(kinds: PostKind[]) {
    if (kinds.includes('conversation')) announce('Your comment was posted');
    else if (kinds.includes('reply')) announce('Your reply was posted');
  }

  /** Sent while the server is out of reach: it waits in this browser, which the panel shows only by a small note. */
  function tellIfWaiting(what: string) {
    if (connection !== 'live') announce(`${what} is not sent yet: it is kept in this browser and sent when Gloss is back online`);
  }

  // ---- anchoring ----

  function reanchor(all: boolean) {
    const list = [...conversations.byId.values()];
    const next = new Map<string, Range | null>();
    const missing: LocalConversation[] = [];
    for (const c of list) {
      const known = all ? undefined : ranges.get(c.id);
      if (known === undefined) missing.push(c);
      else next.set(c.id, known);
    }
    if (missing.length > 0) {
      let found: (Range | null)[];
      try {
        found = missing.length === 1 ? [anchor(root(), missing[0]!.target.selector)] : anchorAll(root(), missing.map((c) => c.target.selector));
      } catch (e) {
        console.warn('[gloss] anchoring failed:', e instanceof Error ? e.message : String(e));
        found = missing.map(() => null);
      }
      missing.forEach((c, i) => next.set(c.id, found[i] ?? null));
    }
    ranges = next;
  }

  function anchoredRanges(): Map<string, Range> {
    const out = new Map<string, Range>();
    for (const [id, range] of ranges) if (range) out.set(id, range);
    return out;
  }

  // ---- rendering, batched to one pass per task ----

  function schedule(fullReanchor = false) {
    reanchorAll ||= fullReanchor;
    if (scheduled || signal.aborted) return;
    scheduled = true;
    queueMicrotask(flush);
  }

  function flush() {
    scheduled = false;
    if (signal.aborted) return;
    reanchor(reanchorAll);
    reanchorAll = false;
    if (activeId !== null && !conversations.byId.has(activeId)) activeId = null;
    const placed = [...conversations.byId.values()].map((c) => ({ item: c, range: ranges.get(c.id) ?? null, createdAt: c.createdAt }));
    const { anchored, orphaned } = orderByPage(placed);
    highlighter.paint(anchoredRanges(), activeId);
    render(
      {
        connection,
        refused,
        self,
        viewers: presence.viewers,
        users: presence.users,
        anchored: anchored.map((p) => p.item),
        orphaned: orphaned.map((p) => p.item),
        panelOpen,
        topbarCollapsed,
        activeId,
        affordance: selection && !composer ? affordanceAt(selection.rect) : null,
        composer: composer ? { ...composerAt(composer.range), quote: composer.quote } : null,
        error,
        announcement,
      },
      actions,
    );
  }

  function affordanceAt(rect: PageSelection['rect']) {
    return { left: clamp(rect.right - 40, 4, win.innerWidth - 96), top: clamp(rect.bottom + 6, 4, win.innerHeight - 36) };
  }

  function composerAt(range: Range) {
    const r = lastLineRect(range);
    return { left: clamp(r.left, 4, win.innerWidth - 308), top: clamp(r.bottom + 6, 4, win.innerHeight - 220) };
  }

  // ---- same-document navigation ----

  let pageKey = tryNormalizePageUrl(win.location.href);

  /**
   * Whether the tab has moved to another page without a new document (a single-page app's router;
   * a fragment change is the same page). Then it takes a new port, which the background files under
   * the new address: the other readers of the old page see this tab leave, and the new page's
   * conversations replace the old one's.
   */
  function movedToAnotherPage(): boolean {
    const next = tryNormalizePageUrl(win.location.href);
    if (next === pageKey) return false;
    pageKey = next;
    conversations = EMPTY_STATE;
    ranges = new Map();
    // Who reads the old page says nothing about the new one: the background tells once it knows.
    presence = { viewers: 0, users: [] };
    activeId = null;
    ownPosts.forget();
    // A comment being written stays open with what was typed; sent, it goes to the page the tab shows
    // then, if its text is still there (submitComposer).
    port.restart();
    schedule();
    return true;
  }

  // ---- actions from the UI ----

  const send = (message: ContentToBackground) => port.send(message);
  // Time-ordered ids: the server's indexes grow at their end (protocol/ids.ts).
  const uuid = () => uuidv7();

  const actions: Actions = {
    togglePanel() {
      panelOpen = !panelOpen;
      schedule();
    },
    toggleTopbar() {
      topbarCollapsed = !topbarCollapsed;
      schedule();
    },
    openComposer() {
      if (!selection) return;
      composer = composerTarget(selection.range, root());
      schedule();
    },
    cancelComposer() {
      // Typing in the composer took the page's selection away: give it back, so a reader who changes
      // their mind is where they were (and can adjust it with shift+arrows, or annotate it again).
      const range = composer?.range;
      composer = null;
      if (range && !range.collapsed) {
        const sel = doc.getSelection();
        sel?.removeAllRanges();
        sel?.addRange(range);
      }
      schedule();
    },
    submitComposer(text) {
      // The page may have moved since the last check: this goes to the page the tab shows now.
      movedToAnotherPage();
      if (!composer) return 'The selection is gone: select the text again';
      const problem = commentTextProblem(text);
      if (problem !== null) return problem;
      const range = currentRange(composer, root());
      if (range === null) return 'The text you selected is no longer on this page, so this comment cannot be attached to it';
      composer.range = range;
      let selector: Selector[];
      try {
        selector = describe(range, root());
      } catch {
        selector = [];
      }
      const target = { selector };
      if (!v.is(Target, target)) {
        return composer.quote.length > LIMITS.quote
          ? `The selection is too long to annotate (at most ${LIMITS.quote} characters)`
          : 'This selection cannot be annotated: select some text on the page';
      }
      // One id for the conversation, its first comment and the create's broadcastId: the server
      // then leaves the broadcastId out of the new-text-chat tuple (docs/protocol.md).
      const id = uuid();
      const now = Date.now();
      const author = self ?? { id: '', name: 'You' };
      conversations = addLocal(conversations, {
        id,
        target,
        author,
        createdAt: now,
        revision: 1,
        resolved: false,
        // The first comment's id is the conversation's, as the server and the background's pending copy
        // name it, so the optimistic comment keeps its key when that copy replaces ours.
        comments: [{ id, author, text, createdAt: now }],
        pending: true,
      });
      // The selection is exactly where the new conversation anchors: no need to search for it.
      ranges.set(id, composer.range.cloneRange());
      send({ type: 'create', broadcastId: id, chat: { id, target, text } });
      ownPosts.sent(id, id, id, 'conversation');
      tellIfWaiting('Your comment');
      composer = null;
      selection = null;
      doc.getSelection()?.removeAllRanges();
      panelOpen = true;
      activeId = id;
      schedule();
      return null;
    },
    reply(id, text) {
      if (movedToAnotherPage()) return LEFT_PAGE;
      const problem = commentTextProblem(text);
      if (problem !== null) return problem;
      if (!conversations.byId.has(id)) return 'This conversation was deleted';
      const broadcastId = uuid();
      const commentId = uuid();
      send({ type: 'update', broadcastId, id, changes: { addComment: { id: commentId, text } } });
      ownPosts.sent(id, commentId, broadcastId, 'reply');
      tellIfWaiting('Your reply');
      schedule();
      return null;
    },
    editComment(id, commentId, text) {
      if (movedToAnotherPage()) return LEFT_PAGE;
      const problem = commentTextProblem(text);
      if (problem !== null) return problem;
      const c = conversations.byId.get(id);
      if (!c) return 'This conversation was deleted';
      // baseRevision: an edit made on an outdated view is refused (conflict) instead of silently overwriting.
      send({ type: 'update', broadcastId: uuid(), id, baseRevision: c.revision, changes: { editComment: { id: commentId, text } } });
      return null;
    },
    deleteComment(id, commentId) {
      if (movedToAnotherPage() || !conversations.byId.has(id)) return;
      send({ type: 'update', broadcastId: uuid(), id, changes: { deleteComment: { id: commentId } } });
    },
    toggleResolved(id) {
      if (movedToAnotherPage()) return;
      const c = conversations.byId.get(id);
      if (!c) return;
      send({ type: 'update', broadcastId: uuid(), id, changes: { resolved: !c.resolved } });
    },
    deleteConversation(id) {
      if (movedToAnotherPage() || !conversations.byId.has(id)) return;
      send({ type: 'delete', broadcastId: uuid(), id });
    },
    focusConversation(id) {
      activeId = id;
      const range = ranges.get(id);
      const el = range ? (range.startContainer instanceof Element ? range.startContainer : range.startContainer.parentElement) : null;
      // A glide through the page is what a reader who asked for reduced motion does not want: a jump.
      const still = win.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
      el?.scrollIntoView({ block: 'center', behavior: still ? 'instant' : 'smooth' });
      schedule();
    },
    dismissError() {
      error = null;
      schedule();
    },
  };

  // ---- page events ----

  watchSelection(
    doc,
    root,
    host,
    (next) => {
      selection = next;
      schedule();
    },
    signal,
  );

  observeDom(doc.documentElement, styleNode ? [host, styleNode] : [host], () => schedule(true), signal);

  // Capturing at the window: pages often stop clicks inside their content (widgets, "click outside"
  // handlers), which would leave highlights there dead if we waited for the click to bubble up.
  win.addEventListener(
    'click',
    (e) => {
      if (e.composedPath().includes(host) || e.button !== 0) return;
      const sel = doc.getSelection();
      if (sel && !sel.isCollapsed) return; // the user is selecting, not clicking a highlight
      const caret = caretAt(doc, e.clientX, e.clientY);
      if (!caret) return;
      const id = hitTest(anchoredRanges(), caret.node, caret.offset);
      if (id === null) return;
      activeId = id;
      panelOpen = true;
      schedule();
    },
    { signal, capture: true },
  );

  // Fixed-position affordances follow their text when the page scrolls or resizes.
  const follow = () => {
    if (!selection && !composer) return;
    if (selection) {
      selection = { range: selection.range, rect: lastLineRect(selection.range) };
    }
    schedule();
  };
  watchAddress(win, () => void movedToAnotherPage(), signal);
  watchBackForwardCache(
    win,
    {
      hidden: () => port.pause(),
      shown() {
        // What the page showed is from before it was put away: the new port brings the present.
        presence = { viewers: 0, users: [] };
        port.restart();
        schedule();
      },
    },
    signal,
  );
  win.addEventListener('scroll', follow, { signal, passive: true, capture: true });
  win.addEventListener('resize', follow, { signal, passive: true });

  schedule();
}

/** An action on a conversation of the page the tab has just left (its list is being replaced). */
const LEFT_PAGE = 'This conversation is on the page you left';

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(n, Math.max(min, max)));
}
