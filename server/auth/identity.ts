import crypto from 'node:crypto';
import * as v from 'valibot';
import type { Role, User } from '../../protocol/model.js';
import { DisplayName, Uuid } from '../../protocol/model.js';
import { displayName } from '../../protocol/names.js';
import { ANONYMOUS_PREFIX, verifyToken } from './tokens.js';

export interface Identity {
  tenant: string;
  user: User;
  role: Role;
  /** When the token it came from expires (ms since the epoch); anonymous identities do not. */
  expiresAt?: number;
}

export const PUBLIC_TENANT = 'public';

const AnonymousAuth = v.object({ anonymousId: Uuid, name: v.optional(DisplayName) });
const TokenAuth = v.object({ token: v.pipe(v.string(), v.minLength(1), v.maxLength(8192)) });

/** Who a signed token says it is; the socket handshake and the HTTP API share it. */
export async function identifyToken(token: string, opts: { secret: Uint8Array; tenantExists: (tenant: string) => boolean }): Promise<Identity> {
  let claims;
  try {
    claims = await verifyToken(opts.secret, token);
  } catch (err) {
    throw new Unauthorized(`token rejected: ${(err as Error).name}`);
  }
  if (!opts.tenantExists(claims.tenant)) throw new Unauthorized('unknown tenant');
  return { tenant: claims.tenant, user: { id: claims.sub, name: displayName(claims.name) }, role: claims.role ?? 'member', expiresAt: claims.exp * 1000 };
}

export class Unauthorized extends Error {
  constructor(readonly reason: string) {
    super('unauthorized');
  }
}

/**
 * Who a handshake is. The anonymous id is the client's secret: the user id everyone else sees is a
 * hash of it, so nobody can take over an anonymous user's comments by copying the id from presence.
 */
export async function identify(
  auth: unknown,
  opts: { secret: Uint8Array; anonymous: boolean; tenantExists: (tenant: string) => boolean },
): Promise<Identity> {
  if (auth && typeof auth === 'object' && 'token' in auth) {
    if (!v.is(TokenAuth, auth)) throw new Unauthorized('malformed token');
    return identifyToken(auth.token, opts);
  }
  if (!opts.anonymous) throw new Unauthorized('anonymous use is off');
  if (!v.is(AnonymousAuth, auth)) throw new Unauthorized('anonymous handshake needs a UUID anonymousId');
  const id = `${ANONYMOUS_PREFIX}${crypto.createHash('sha256').update(auth.anonymousId.toLowerCase()).digest('base64url').slice(0, 22)}`;
  // Named here, once, by the rule every client shows names by: no user this server sends is nameless.
  return { tenant: PUBLIC_TENANT, user: { id, name: displayName(auth.name) }, role: 'member' };
}
