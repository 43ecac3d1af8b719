import { SignJWT, jwtVerify } from 'jose';
import * as v from 'valibot';
import { DisplayName, Role } from '../../protocol/model.js';

export const TENANT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** The prefix of every anonymous user's id (server/auth/identity.ts). */
export const ANONYMOUS_PREFIX = 'anon-';

export const TokenClaims = v.object({
  tenant: v.pipe(v.string(), v.regex(TENANT_PATTERN)),
  // Anonymous users' ids are `anon-` + a hash that presence shows everyone: a token naming one would
  // act as that user (edit and delete their comments), so the prefix is theirs alone.
  sub: v.pipe(v.string(), v.minLength(1), v.maxLength(200), v.check((sub) => !sub.startsWith(ANONYMOUS_PREFIX), `user ids starting with ${ANONYMOUS_PREFIX} are reserved for anonymous users`)),
  name: DisplayName,
  role: v.optional(Role),
});
export type TokenClaims = v.InferOutput<typeof TokenClaims>;

/**
 * Every token expires: nothing else ends a token short of changing the secret. `expiresIn` is a
 * period ("30d") or a time in Unix seconds; anything else, an empty string included, throws.
 */
export async function signToken(secret: Uint8Array, claims: TokenClaims, expiresIn: string | number = '30d'): Promise<string> {
  return new SignJWT({ tenant: claims.tenant, name: claims.name, ...(claims.role ? { role: claims.role } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(secret);
}

/**
 * Throws on a bad signature, an expired token, a token without `exp` (jose only checks an expiry
 * that is there) or claims of the wrong shape. Answers the claims and the expiry (Unix seconds).
 */
export async function verifyToken(secret: Uint8Array, token: string): Promise<TokenClaims & { exp: number }> {
  const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], requiredClaims: ['exp'] });
  // jose has checked that `exp` is a number in the future.
  return { ...v.parse(TokenClaims, payload), exp: payload.exp! };
}
