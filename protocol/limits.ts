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
  /** Comments in one conversation. */
  comments: 500,
} as const;

/** Changes a `sinceSeq` request replays at most before the server answers with a snapshot instead. */
export const MAX_REPLAY_CHANGES = 1_000;
