import { SignJWT, jwtVerify } from 'jose';
import * as v from 'valibot';
import { DisplayName, Role } from '../../protocol/model.js';

export const TENANT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const TokenClaims = v.object({
  tenant: v.pipe(v.string(), v.regex(TENANT_PATTERN)),
  sub: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  name: DisplayName,
  role: v.optional(Role),
});
export type TokenClaims = v.InferOutput<typeof TokenClaims>;

export async function signToken(secret: Uint8Array, claims: TokenClaims, expiresIn: string | number = '30d'): Promise<string> {
  const jwt = new SignJWT({ tenant: claims.tenant, name: claims.name, ...(claims.role ? { role: claims.role } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt();
  if (expiresIn) jwt.setExpirationTime(expiresIn);
  return jwt.sign(secret);
}

/** Throws on a bad signature, an expired token or claims of the wrong shape. */
export async function verifyToken(secret: Uint8Array, token: string): Promise<TokenClaims> {
  const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
  return v.parse(TokenClaims, payload);
}
