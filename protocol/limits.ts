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
} as const;

/** Changes a `sinceSeq` request replays at most before the server answers with a snapshot instead. */
export const MAX_REPLAY_CHANGES = 1_000;
