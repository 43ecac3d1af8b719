/**
 * Stable error codes. Clients branch on `code`; `message` is for people and may change.
 * - invalid: the payload does not match the schema (wrong type, missing field, bad UUID, bad URL)
 * - too_large: a field or the whole event is over its limit
 * - unauthorized: no valid identity (handshake only)
 * - too_many_connections: the client's address holds as many connections as the server allows (handshake only)
 * - forbidden: valid identity, but not allowed (another tenant's page, someone else's comment)
 * - not_found: no such conversation or comment in this tenant
 * - conflict: stale baseRevision, or an id reused with other content
 * - gone: the conversation was deleted; it never comes back
 * - page_full: the page holds as many conversations as a page may (LIMITS.conversationsPerPage)
 * - conversation_full: the conversation holds as many comments as one may (LIMITS.comments)
 * - page_replies_full: a reply, or an edit lengthening one, would take the page's replies past
 *   LIMITS.pageReplyBytes. Not `page_full`: a client tells a user who hit that to reply instead.
 * - rate_limited: too many operations from this connection
 * - internal: the server failed; nothing was changed
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
  'internal',
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
