/**
 * A reason the server will not start that the operator must act on (not a bug): `main.ts` prints
 * its stable `code` and message as one log line and exits nonzero instead of a stack trace.
 */
export class StartupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}
