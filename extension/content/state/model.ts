import type { Role, User } from '../../../protocol/model.js';
import { NO_SHORTCUT_KEYS, type ConnectionReason, type ConnectionState, type LocalConversation, type ShortcutKeys, type UnseenKind } from '../../../protocol/runtime.js';
import type { ComposerTarget } from '../selection/composer-target.js';
import type { PageSelection } from '../selection/watch.js';
import { SentEdits } from './sent-edits.js';
import { EMPTY_STATE, type ConversationState } from './store.js';
import type { Restoring, UndoOffer } from './undo.js';

export interface Presence {
  viewers: number;
  users: User[];
}

/** Who reads a page nobody has told us about yet (a new page, a page back from the cache). */
export const NO_PRESENCE: Presence = { viewers: 0, users: [] };

/**
 * What the controller knows of the tab, shared by its parts (controller.ts wires them). Plain and
 * mutable: each part changes its fields and asks for a render (render-loop.ts), which hands the UI a
 * fresh snapshot (view-state.ts); the UI never holds this object.
 */
export interface Model {
  conversations: ConversationState;
  connection: ConnectionState;
  /** Why the connection is not live, when the server said so (protocol/runtime.ts, ConnectionReason). */
  reason: ConnectionReason | null;
  self: User | null;
  /** The user's role in the tenant (protocol/runtime.ts `connection`): a moderator may delete anyone's items. */
  role: Role | null;
  presence: Presence;
  panelOpen: boolean;
  /**
   * The panel was opened by the keyboard shortcut: its heading takes focus once (ui/Panel.tsx), then
   * this is cleared (`panelFocused`). A serial, so that a second opening is a new request.
   */
  panelFocus: number | null;
  topbarCollapsed: boolean;
  /**
   * The open conversation (a click on its highlight or its card). Kept while the panel is closed, so
   * that it reopens at the same card; drawn as the open one only while the panel is (`shownActive`).
   */
  activeId: string | null;
  /**
   * What is new since the user's last visit to the page, by id (state/unseen.ts): null until the
   * worker says (empty on a first visit); a mark goes when its conversation is opened.
   */
  unseen: Map<string, UnseenKind> | null;
  /**
   * The conversation whose card the pointer is on, or the keyboard focus in (the UI says, `hoverCard`):
   * its highlight is drawn emphasised while the panel is open (`shownHover`).
   */
  hoveredCard: string | null;
  /** The conversations whose highlighted text the pointer is on in the page (highlighter/hover.ts): their cards are marked (`shownPointed`). */
  pointedInPage: readonly string[];
  selection: PageSelection | null;
  /** Kept across a same-document navigation: what was typed is not lost (composer-target.ts). */
  composer: ComposerTarget | null;
  /**
   * Deleted conversations of this page the user was writing in, shown until they close them, by id
   * (deletions.ts); their last known state, as it was when they went.
   */
  deletedWhileWriting: Map<string, LocalConversation>;
  /** The same, of pages the tab has left without a new document, by page key (deletions.ts, leavePage). */
  deletedOnPagesLeft: Map<string | null, Map<string, LocalConversation>>;
  /**
   * Conversations the user is writing in that the worker's last snapshot did not list while the page
   * was not in step with the server: kept as they were until the worker says (state/snapshot.ts).
   */
  unconfirmed: Set<string>;
  /** Conversations the user asked to delete here and whose removal has not come back yet. */
  deletedHere: Set<string>;
  /** The user's last deletion here, offered for undo for a few seconds (state/undo.ts, ui/UndoNotice.tsx). */
  undo: UndoOffer | null;
  /** The undo pressed last, until its card takes focus or it is refused (state/undo.ts). */
  restoring: Restoring | null;
  /** Undos this tab sent and not yet settled: broadcastId → conversation id. A refusal of one is told as such (refusal.ts). */
  sentRestores: Map<string, string>;
  /** Edits this tab sent and not yet settled, and the ones refused as a conflict, to give back. */
  sentEdits: SentEdits;
  /**
   * Conversations this tab started and the server has not confirmed, by id, with what the composer
   * held: a refused one (a full server, a full page) gives its words back to the composer
   * (port-messages.ts) instead of taking them away with the conversation.
   */
  sentCreates: Map<string, { target: ComposerTarget; text: string }>;
  error: string | null;
  /** The browser shortcuts' current keys, as the worker last said (none until it does): the controls they stand for carry them. */
  shortcutKeys: ShortcutKeys;
  /** What the screen reader is told next (ui/Announcer.tsx); the serial tells a repeat apart. */
  announcement: { serial: number; text: string } | null;
}

export function createModel(): Model {
  return {
    conversations: EMPTY_STATE,
    connection: 'connecting',
    reason: null,
    self: null,
    role: null,
    presence: NO_PRESENCE,
    panelOpen: false,
    panelFocus: null,
    topbarCollapsed: false,
    activeId: null,
    unseen: null,
    hoveredCard: null,
    pointedInPage: [],
    selection: null,
    composer: null,
    deletedWhileWriting: new Map(),
    deletedOnPagesLeft: new Map(),
    unconfirmed: new Set(),
    deletedHere: new Set(),
    undo: null,
    restoring: null,
    sentRestores: new Map(),
    sentEdits: new SentEdits(),
    sentCreates: new Map(),
    error: null,
    shortcutKeys: NO_SHORTCUT_KEYS,
    announcement: null,
  };
}

/**
 * The conversation drawn as the open one, in the page (its highlight in the active orange) and in the
 * panel (its card): the open one while the panel is open, none while it is closed. One answer for both,
 * so the page never shows an orange highlight that nothing on screen explains, and a reopened panel
 * shows as open the card whose highlight turns orange again (docs/architecture.md, "The open
 * conversation while the panel is closed").
 */
export function shownActive(model: Model): string | null {
  return model.panelOpen ? model.activeId : null;
}

/**
 * The conversation whose highlight is drawn hovered (`gloss-hover`): the one whose card is pointed at
 * or focused, while the panel (where its card is) is open. A card leaves with the panel without the
 * pointer or focus leaving it first, so what the UI last said would otherwise stay painted. The open
 * one keeps its orange (highlighter/highlights.ts): the highlighter is given both and decides nothing else.
 */
export function shownHover(model: Model): string | null {
  return model.panelOpen ? model.hoveredCard : null;
}

const NONE: ReadonlySet<string> = new Set();

/** The conversations whose cards are marked as under the pointer in the page: none while the panel is closed (no card to mark). */
export function shownPointed(model: Model): ReadonlySet<string> {
  return model.panelOpen && model.pointedInPage.length > 0 ? new Set(model.pointedInPage) : NONE;
}
