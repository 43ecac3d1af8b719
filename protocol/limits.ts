/** Size limits of the wire contract. The server enforces them; clients check them early to fail fast. */
export const LIMITS = {
  /** Characters in one comment. */
  text: 10_000,
  /** Characters in a TextQuoteSelector's `exact`. */
  quote: 5_000,
  /** Characters in a TextQuoteSelector's `prefix` or `suffix` (clients store 32). */
  context: 256,
  /** Characters in a page URL as sent by a client. */
  url: 4_096,
  /** Characters in a display name. */
  name: 80,
  /** Bytes in one whole event as it arrives; Socket.IO's maxHttpBufferSize is set to this. */
  eventBytes: 64 * 1024,
  /** Selectors in one target. */
  selectors: 4,
  /**
   * Comments in one conversation (deleted ones not counted). A thread of 500 is a long discussion by
   * any measure; one conversation travels whole (a `conflict` carries it), so it must stay a few MB
   * at most, and a busy thread can always go on in a new conversation.
   */
  comments: 500,
  /**
   * Live conversations on one page (deleted ones not counted). A long page read by a class or a team
   * (a standard, a book chapter, a contract under review) can gather thousands; 5,000 leaves room for
   * that, while a join's snapshot of a full page stays a few MB (~1 KB a typical conversation) and
   * the panel stays a list a browser can render. A script creating conversations in a loop stops here.
   */
  conversationsPerPage: 5_000,
  /**
   * Replies on one page, in UTF-8 bytes: the live replies of its live conversations, each counted as
   * its text's bytes plus `replyOverhead`. The two caps above still let a page hold 5,000 × 499
   * replies of 10,000 characters (gigabytes), all of it sent to every reader who opens the page in
   * one `page:join` acknowledgement and kept in the extension's cache. 8 MiB is some 20,000 replies
   * of a paragraph, more than any page's discussion needs, and a reader joining a page full of
   * replies receives ~8 MB for them (with the ~5 MB of a page full of typical conversations), which
   * a browser loads in seconds. Bytes, not characters: the snapshot, the wire and the database all
   * carry UTF-8, where a character takes up to 3 bytes (4 for a pair). Refused `page_replies_full`.
   * Opening comments are not counted: a create writes no page row (docs/benchmarks.md, change 26),
   * and creates are bounded by `conversationsPerPage`, each by `quote` and `text`.
   */
  pageReplyBytes: 8 * 1024 * 1024,
  /**
   * What a reply counts besides its text toward `pageReplyBytes`: about what its id, author and
   * times take in a snapshot. Without it, one-character replies would fill 5,000 × 499 entries of
   * ~200 bytes each while counting 2.5 MB. The server keeps each page's sum (server/store/schema.ts,
   * migration 8): a new value needs a migration that counts the pages again.
   */
  replyOverhead: 200,
} as const;

/** Changes a `sinceSeq` request replays at most before the server answers with a snapshot instead. */
export const MAX_REPLAY_CHANGES = 1_000;

/**
 * How long after its deletion a conversation may be restored (`text-chat:restore`), in ms. Long enough
 * for a mistaken confirm noticed a little late (the extension offers Undo for 10 s only, but a retry
 * may sit in its outbox while offline), short enough that a thread nobody missed does not come back
 * over the conversations written since. The deleted conversation's replies are kept this long (and at
 * most until the next hourly prune after it) and then freed: after it a restore is `gone`.
 * The server's GLOSS_RESTORE_WINDOW_MS may set another (tests shorten it).
 */
export const RESTORE_WINDOW_MS = 10 * 60 * 1000;
