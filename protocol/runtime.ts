import * as v from 'valibot';
import { ChatChange, NewChat } from './events.js';
import { CommentText, Comment, Conversation, Role, Target, User, Uuid } from './model.js';
import { ERROR_CODES } from './errors.js';
import { LIMITS } from './limits.js';
import { withoutAnchor } from './url.js';

/**
 * The extension's internal channels, one typed map per direction (as the Hypothesis client does),
 * each with the schema its receiver checks. A message that fails its schema is dropped and logged.
 *
 * - content → background: over a long-lived port named by pagePortName, opened by each tab's content
 *   script. The background takes the tab and the page's origin from `port.sender`, never from a message.
 * - background → content: over the same port.
 * - popup → background and background → popup: over a long-lived port named by popupPortName, which
 *   the popup opens for the tab it describes. The background pushes that tab's state over it when it
 *   opens and whenever something the popup shows changes; the popup never polls.
 */
export const PAGE_PORT = 'gloss-page';

/**
 * A page port's name: PAGE_PORT, a space, and the address the tab shows as it opens the port. Both
 * browsers keep `port.sender.url` at the address the document was loaded with, so after a
 * same-document navigation (history.pushState, replaceState, back and forward between such entries)
 * the sender alone would file the tab under the page it has left. The background takes this address
 * only within the sender's origin, which is all a same-document navigation can reach
 * (extension/background/messages.ts, `portOrigin`). A fragment that is not a route is left out: it
 * is not part of the page (protocol/url.ts), and it can be long (app state) or a secret (an OAuth
 * `#access_token=`) the worker has no use for.
 */
export function pagePortName(address: string): string {
  return `${PAGE_PORT} ${withoutAnchor(address)}`;
}

/** The address in a page port's name; null when the name is not a page port's. */
export function pagePortAddress(name: string): string | null {
  return name.startsWith(`${PAGE_PORT} `) ? name.slice(PAGE_PORT.length + 1) : null;
}

/**
 * The port the settings form (popup or settings page) holds open while it saves, and closes when the
 * save is done: it carries nothing. Its closing is the worker's cue to read the stored settings again
 * (extension/background/settings-port.ts): unlike the `storage.local` stamp a save writes last, it
 * comes even when the form's page closes in the middle of the save.
 */
export const SETTINGS_PORT = 'gloss-settings';

export const POPUP_PORT = 'gloss-popup';

/**
 * A popup port's name: POPUP_PORT, a space, and the id of the tab the popup describes. The popup is
 * an extension page: its port's sender has no tab of its own (or, opened in a tab, that tab is the
 * popup itself), so the tab can only be named by the popup. The background takes the name only from
 * this extension's own pages (extension/background/messages.ts, `popupPortTab`).
 */
export function popupPortName(tabId: number): string {
  return `${POPUP_PORT} ${tabId}`;
}

export const ConnectionState = v.picklist(['connecting', 'live', 'reconnecting', 'offline']);
export type ConnectionState = v.InferOutput<typeof ConnectionState>;

/**
 * Why the connection is not live, when the server said so (null otherwise: a server that cannot be
 * reached, a network that is gone, or nothing wrong). A word, never what the server refused:
 * - `refused`: the server turned the handshake away for who we are (a bad or expired token,
 *   anonymous use off). Offline until the settings change.
 * - `busy`: the server holds as many connections from this network address as it allows
 *   (`too_many_connections`, an office behind one NAT address). Gloss retries by itself.
 */
export const ConnectionReason = v.picklist(['refused', 'busy']);
export type ConnectionReason = v.InferOutput<typeof ConnectionReason>;

// ---- content → background ----

/**
 * `madeOn`: the address (as `pagePortName` writes it) of the page the change was made on, present only
 * when that is not the page of the port it comes over: the tab moved to another page without a new
 * document (a single-page app) while its port was down, and sends what it could not post then over
 * the new page's port. The worker files such a change under that page only if it is one this tab's
 * ports were opened on, recently (extension/background/tab-history.ts); otherwise it refuses it
 * (`op-failed`, `page_not_shown`). Without it, a change goes to the port's page.
 */
const MadeOn = { madeOn: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.url))) };

export const ContentToBackground = v.variant('type', [
  v.strictObject({ type: v.literal('create'), broadcastId: Uuid, chat: v.omit(NewChat, ['url']), ...MadeOn }),
  v.strictObject({
    type: v.literal('update'),
    broadcastId: Uuid,
    id: Uuid,
    baseRevision: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    changes: ChatChange,
    ...MadeOn,
  }),
  v.strictObject({ type: v.literal('delete'), broadcastId: Uuid, id: Uuid, ...MadeOn }),
  /** Undo of the tab's own deletion (`text-chat:restore`); the worker sends it only for a conversation its page has seen deleted. */
  v.strictObject({ type: v.literal('restore'), broadcastId: Uuid, id: Uuid, ...MadeOn }),
]);
export type ContentToBackground = v.InferOutput<typeof ContentToBackground>;

/**
 * Not an operation: the user opened (made the open one) a conversation marked as new since their
 * last visit (`unseen` below), so the worker leaves its mark out for the page's tabs that connect
 * later in the same visit. Carries no broadcastId and is never re-sent: losing one leaves a mark.
 */
export const SeenNotice = v.strictObject({ type: v.literal('seen'), id: Uuid });
export type SeenNotice = v.InferOutput<typeof SeenNotice>;

/** Everything a page's port carries to the worker: an operation, or a notice. */
export const FromPage = v.variant('type', [...ContentToBackground.options, SeenNotice]);
export type FromPage = v.InferOutput<typeof FromPage>;

// ---- background → content ----

/**
 * A conversation as a tab shows it: the server's state, or a local one not yet confirmed (`pending`).
 * `failed` carries why the server refused the last local change to it.
 */
export const LocalConversation = v.strictObject({
  ...Conversation.entries,
  pending: v.optional(v.boolean()),
});
export type LocalConversation = v.InferOutput<typeof LocalConversation>;

const ErrorBodySchema = v.strictObject({ code: v.picklist(ERROR_CODES), message: v.string() });

/**
 * The keyboard shortcuts of manifest.json's `commands`, by name (the user binds their keys in the
 * browser: chrome://extensions/shortcuts, Firefox's add-on shortcut settings). The browser tells the
 * worker which was pressed and in which tab; the worker tells that tab's script (`command` below).
 */
export const Shortcut = v.picklist(['annotate-selection', 'toggle-panel']);
export type Shortcut = v.InferOutput<typeof Shortcut>;

/** Longer than any key combination a browser gives ("Ctrl+Alt+Shift+Comma" is 20). */
export const MAX_KEYS_LENGTH = 40;

/**
 * The keys each shortcut is bound to now, as the browser's `commands.getAll()` writes them
 * ("Alt+Shift+M"; "⌃⇧M" in Chrome on macOS), null when it is unbound (the user removed it, or the
 * browser left the suggested key unbound because something else has it). Read by the worker and the
 * popup, never guessed from the manifest: the user may have rebound them.
 */
export const ShortcutKey = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_KEYS_LENGTH));
const BoundKeys = v.nullable(ShortcutKey);
export const ShortcutKeys = v.strictObject({ 'annotate-selection': BoundKeys, 'toggle-panel': BoundKeys });
export type ShortcutKeys = v.InferOutput<typeof ShortcutKeys>;
export const NO_SHORTCUT_KEYS: ShortcutKeys = { 'annotate-selection': null, 'toggle-panel': null };

/** Why a conversation is marked unseen: started since the last visit, or given replies by others since. */
export const UnseenKind = v.picklist(['new', 'replies']);
export type UnseenKind = v.InferOutput<typeof UnseenKind>;

export const BackgroundToContent = v.variant('type', [
  /**
   * `reason`: why it is not live, so the tab can say so (ConnectionReason). What was refused stays in the worker.
   * `role`: the user's role in the tenant, from the server's `session` (null with no session known). A
   * moderator's panel offers Delete on anyone's conversation and reply; the server decides anyway.
   */
  v.strictObject({ type: v.literal('connection'), state: ConnectionState, reason: v.nullable(ConnectionReason), self: v.nullable(User), role: v.nullable(Role) }),
  v.strictObject({ type: v.literal('presence'), viewers: v.number(), users: v.array(User) }),
  v.strictObject({ type: v.literal('snapshot'), pageKey: v.string(), conversations: v.array(LocalConversation) }),
  v.strictObject({ type: v.literal('upsert'), conversation: LocalConversation }),
  v.strictObject({ type: v.literal('remove'), id: Uuid }),
  /**
   * Several changes of the view at once, applied as that many `upsert`s then `remove`s: what a join,
   * a resync or a server batch changed (a single change goes alone, as an `upsert` or a `remove`).
   * Cut into chunks of at most PUSH_CHUNK_ITEMS entries and about PUSH_CHUNK_CHARS characters
   * (extension/background/push-chunks.ts), so that reading one stays a short task for the tab;
   * neither list is ever longer than a page may hold.
   */
  v.strictObject({
    type: v.literal('changes'),
    upserts: v.pipe(v.array(LocalConversation), v.maxLength(LIMITS.conversationsPerPage)),
    removes: v.pipe(v.array(Uuid), v.maxLength(LIMITS.conversationsPerPage)),
  }),
  v.strictObject({ type: v.literal('op-failed'), broadcastId: Uuid, id: Uuid, error: ErrorBodySchema }),
  v.strictObject({ type: v.literal('open-panel') }),
  /**
   * A keyboard shortcut pressed while this tab was the active one (extension/background/commands.ts):
   * `annotate-selection` starts a conversation on the page's selection as the Annotate button does,
   * `toggle-panel` opens or closes the panel as the bar's toggle does (extension/content/shortcuts.ts).
   */
  v.strictObject({ type: v.literal('command'), command: Shortcut }),
  /**
   * The shortcuts' current keys (ShortcutKeys), for the page's Annotate button and the bar's toggle
   * to carry in their tooltips and `aria-keyshortcuts` (a content script cannot read `commands`):
   * sent when the tab's port opens and again when they may have changed (background/shortcut-keys.ts).
   */
  v.strictObject({ type: v.literal('shortcut-keys'), keys: ShortcutKeys }),
  /**
   * What is new to the user on this page since their last visit in this browser (the page's cached
   * state when the visit began against the server's once the page is first in step), less what the
   * user made and what they opened since (background/visit.ts). Sent once per port when known, empty
   * on a first visit (nothing to compare with). A tab takes the first for its page and keeps it for
   * the visit (content/state/unseen.ts).
   */
  v.strictObject({
    type: v.literal('unseen'),
    conversations: v.pipe(v.array(v.strictObject({ id: Uuid, kind: UnseenKind })), v.maxLength(LIMITS.conversationsPerPage)),
  }),
  /** The worker has written the tab's operation to its outbox: the tab no longer needs to keep it to re-send. */
  v.strictObject({ type: v.literal('received'), broadcastId: Uuid }),
]);
export type BackgroundToContent = v.InferOutput<typeof BackgroundToContent>;

/**
 * Whether Gloss runs on a tab, as far as the background can tell (background/tab-page.ts):
 * `annotatable` once the tab's content script is connected; otherwise `loading` (it has not started
 * yet), `unsupported` (a page no extension may run on, or not a web page) or `not-running` (a loaded
 * web page without it: open since before Gloss was installed or updated, or not an HTML page).
 */
export const TabPage = v.picklist(['annotatable', 'loading', 'unsupported', 'not-running']);
export type TabPage = v.InferOutput<typeof TabPage>;

const Count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** What the popup shows about its tab. Nothing else goes to the popup: no token, no settings. */
export const TabState = v.strictObject({
  page: TabPage,
  connection: ConnectionState,
  /** Why the connection is not live, when the server said so (ConnectionReason). */
  reason: v.nullable(ConnectionReason),
  self: v.nullable(User),
  /** null unless `page` is `annotatable`. */
  pageKey: v.nullable(v.string()),
  viewers: Count,
  users: v.array(User),
  conversations: Count,
  /** Of those, how many are marked new since the user's last visit and not opened yet in this one (background/visit.ts). */
  unseen: Count,
});
export type TabState = v.InferOutput<typeof TabState>;

/** Ties a request to its answer: the popup's own counter, only echoed back. */
const RequestId = v.pipe(v.number(), v.integer(), v.minValue(0));

// ---- popup → background (over the popup port) ----

export const PopupToBackground = v.variant('type', [
  /** Open the panel on the port's tab; answered by `panel-opened`. */
  v.strictObject({ type: v.literal('open-panel'), request: RequestId }),
]);
export type PopupToBackground = v.InferOutput<typeof PopupToBackground>;

// ---- background → popup (over the popup port) ----

export const BackgroundToPopup = v.variant('type', [
  /** The tab's whole state: sent when the port opens and again whenever any of it changes. */
  v.strictObject({ type: v.literal('tab-state'), state: TabState }),
  /** `ok` false: no script of the tab is connected to be told. */
  v.strictObject({ type: v.literal('panel-opened'), request: RequestId, ok: v.boolean() }),
]);
export type BackgroundToPopup = v.InferOutput<typeof BackgroundToPopup>;

// Re-exported for the content side, which builds `create` messages.
export { CommentText, Comment, Target };
