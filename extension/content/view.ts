import type { User } from '../../protocol/model.js';
import type { ComposerPlace } from './selection/placement.js';
import type { PointedCards } from './state/pointed-cards.js';
import type { ConnectionReason, ConnectionState, LocalConversation, ShortcutKeys, UnseenKind } from '../../protocol/runtime.js';

/** Everything the UI shows, computed by the controller; the UI keeps only input-local state. */
export interface ViewState {
  connection: ConnectionState;
  /** Why the connection is not live, when the server said so: refused (the access token) or busy (its limit for this network). */
  reason: ConnectionReason | null;
  self: User | null;
  /** The server said the user is a moderator: Delete is offered on everyone's items (state/owner.ts). */
  moderator: boolean;
  viewers: number;
  users: User[];
  /** Anchored conversations, in page order. */
  anchored: LocalConversation[];
  /** Conversations whose text is no longer on the page. */
  orphaned: LocalConversation[];
  /**
   * Those of `anchored` and `orphaned` that were deleted while the user was writing in them: shown,
   * read-only, until the user closes them (state/deletions.ts).
   */
  deleted: ReadonlySet<string>;
  panelOpen: boolean;
  /** The panel's heading is to take focus (the shortcut opened it); the serial tells one request from the next. */
  panelFocus: number | null;
  topbarCollapsed: boolean;
  /** The conversation shown as the open one (state/model.ts, shownActive): none while the panel is closed. */
  activeId: string | null;
  /** Listed conversations new since the user's last visit, or with new replies (state/unseen.ts). */
  unseen: ReadonlyMap<string, UnseenKind>;
  /**
   * The conversations whose highlighted text the pointer is on in the page: their cards are marked
   * (state/model.ts, shownPointed). One object, changed between renders as the pointer moves: the cards read it.
   */
  pointed: PointedCards;
  /** Where to show the Annotate button (viewport coordinates), when there is a usable selection. */
  affordance: { left: number; top: number } | null;
  /** Where the composer is open, with the quote it will annotate. */
  composer: (ComposerPlace & { quote: string; draft?: string }) | null;
  error: string | null;
  /** The browser shortcuts' keys now (null: unbound), shown on the controls they stand for. */
  shortcutKeys: ShortcutKeys;
  /** Told to screen readers (politely): what the user did that the screen shows only by sight. */
  announcement: { serial: number; text: string } | null;
  /** The user's own last deletion, offered for undo (state/undo.ts); `serial` tells one offer from the next. */
  undo: { serial: number } | null;
  /** The conversation the user's Undo brought back, once it is listed again, until its card takes focus (state/undo.ts). */
  restoring: { id: string; serial: number } | null;
  /** Edits refused as a conflict (the comment changed meanwhile), by comment id: the user's text, to reopen in its edit field. */
  refusedEdits: ReadonlyMap<string, string>;
}

export interface Actions {
  togglePanel(): void;
  /** The panel's heading took the focus asked for by `panelFocus` of `serial`. */
  panelFocused(serial: number): void;
  toggleTopbar(): void;
  openComposer(): void;
  cancelComposer(): void;
  /** Returns an error message, or null when the conversation was sent. */
  submitComposer(text: string): string | null;
  reply(id: string, text: string): string | null;
  editComment(id: string, commentId: string, text: string): string | null;
  deleteComment(id: string, commentId: string): void;
  toggleResolved(id: string): void;
  deleteConversation(id: string): void;
  /** Restores the deletion offered for undo (ViewState.undo). */
  undoDelete(): void;
  /** The undo offer `serial` is over: its time ran out, or the user dismissed it. */
  dismissUndo(serial: number): void;
  /** The panel has dealt with `restoring` of `serial`: its card took focus, or the user was busy elsewhere. */
  restoreFocused(serial: number): void;
  /** Lets go of a conversation in `deleted`, and of what was written in it. */
  closeDeleted(id: string): void;
  focusConversation(id: string): void;
  /** The pointer or the keyboard focus is on the card of `id` (null: on none): its highlight is drawn hovered. */
  hoverCard(id: string | null): void;
  /**
   * Lets go of the open conversation `id` (its card's ×, Escape inside it): none is open after it.
   * `listed`: its card stays in the panel (the filter matches it), which the screen reader is told.
   */
  closeConversation(id: string, listed: boolean): void;
  /** The UI put a refused edit's text back into the comment's edit field (refusedEdits). */
  tookRefusedEdit(commentId: string): void;
  dismissError(): void;
}
