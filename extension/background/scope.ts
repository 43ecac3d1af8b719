import type { Settings } from '../shared/settings.js';

/**
 * Whose data the worker's cache and outbox hold: the server, and the tenant and user the settings
 * sign in as. Pages are cached by page key alone and ops are sent as whoever is signed in, so after
 * a switch to another server, tenant or user the old data must not be used: the cached seq would be
 * taken as a position in another tenant's page (its conversations shown there, the changes between
 * skipped), and ops made by one user would be stored as another's. A renewed token of the same user
 * keeps the scope (its outbox is still theirs). The token's claims are read, not verified: the
 * server verifies it; a token that cannot be read is its own scope.
 */
export function scopeOf(settings: Pick<Settings, 'serverUrl' | 'token'>, anonymousId: string): string {
  if (!settings.token) return JSON.stringify([settings.serverUrl, 'anonymous', anonymousId]);
  const claims = readClaims(settings.token);
  if (claims === null) return JSON.stringify([settings.serverUrl, 'token', settings.token]);
  return JSON.stringify([settings.serverUrl, claims.tenant, claims.sub]);
}

function readClaims(token: string): { tenant: string; sub: string } | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    const json: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
    if (typeof json !== 'object' || json === null) return null;
    const { tenant, sub } = json as Record<string, unknown>;
    return typeof tenant === 'string' && typeof sub === 'string' ? { tenant, sub } : null;
  } catch {
    return null;
  }
}
