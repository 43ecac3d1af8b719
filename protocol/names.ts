/** What a user who gave no name is called, wherever a name is shown. */
export const NO_NAME = 'Anonymous';

/**
 * The name a user goes by: a name of only spaces is no name, so it is trimmed first, then
 * {@link NO_NAME} stands in for an empty one. One rule for everything that shows a name (the panel's
 * cards and its search, the popup's list of viewers), so the same user reads the same everywhere.
 *
 * The server already applies it where it establishes who a socket is (server/auth/identity.ts): a
 * token's name is refused when blank (`DisplayName`) and trimmed, an anonymous handshake's is trimmed
 * or `Anonymous`. So every user this server sends has such a name. The extension applies it again
 * because the wire's `User` only limits a name's length (model.ts): an empty or padded one is valid
 * there, and whatever arrives is shown.
 */
export function displayName(name: string | undefined): string {
  return name?.trim() || NO_NAME;
}
