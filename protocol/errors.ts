/**
 * Stable error codes. Clients branch on `code`; `message` is for people and may change.
 * - invalid: the payload does not match the schema (wrong type, missing field, bad UUID, bad URL)
 * - too_large: a field or the whole event is over its limit
 * - unauthorized: no valid identity (handshake only)
 * - too_many_connections: the client's address holds as many connections as the server allows (handshake only)
 * - forbidden: valid identity, but not allowed (another tenant's page, someone else's comment)
 * - not_found: no such conversation or comment in this tenant
 * - conflict: stale baseRevision, or an id reused with other content
 * - gone: the conversation (or comment) was deleted; a conversation can be restored by whoever may
 *   delete it for RESTORE_WINDOW_MS after (text-chat:restore), after which a restore is `gone` too
 * - page_full: the page holds as many conversations as a page may (LIMITS.conversationsPerPage)
 * - conversation_full: the conversation holds as many comments as one may (LIMITS.comments)
 * - page_replies_full: a reply, or an edit lengthening one, would take the page's replies past
 *   LIMITS.pageReplyBytes. Not `page_full`: a client tells a user who hit that to reply instead.
 * - rate_limited: too many operations from this connection
 * - store_full: the server's database is at the size its operator allowed (GLOSS_DB_MAX_MB); nothing
 *   was changed. Deletions still go through (they draw on a reserve). Not retried by clients: only the
 *   operator (a larger limit) or deletions make room.
 * - store_failed: the server's storage failed (an I/O error, a damaged database, a read-only or full
 *   disk); nothing was changed and the server keeps running. Worth retrying later.
 * - internal: the server failed; nothing was changed
 * - page_not_shown: never sent by the server. The extension's worker refuses, to its own tab, a change
 *   the tab says it made on another page (`madeOn`, protocol/runtime.ts) that is not one this tab's
 *   ports were opened on recently; nothing was stored or sent.
 */
export const ERROR_CODES = [
  'invalid',
  'too_large',
  'unauthorized',
  'too_many_connections',
  'forbidden',
  'not_found',
  'conflict',
  'gone',
  'page_full',
  'conversation_full',
  'page_replies_full',
  'rate_limited',
  'store_full',
  'store_failed',
  'internal',
  'page_not_shown',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export interface Failure<Extra = object> {
  ok: false;
  error: ErrorBody & Extra;
}

export type Result<T> = ({ ok: true } & T) | Failure;

export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

export function failure(code: ErrorCode, message: string): Failure {
  return { ok: false, error: { code, message } };
}
