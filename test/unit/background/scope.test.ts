import { expect, it } from 'vitest';
import { scopeOf } from '../../../extension/background/scope.js';

/** A token shaped as the server's (header.claims.signature); only the claims matter here. */
function token(claims: Record<string, unknown>, signature = 'sig'): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part(claims)}.${signature}`;
}

const server = 'https://gloss.example.com';

it('a renewed token of the same user keeps the scope; another tenant, user or server is another scope', () => {
  const eve = scopeOf({ serverUrl: server, token: token({ tenant: 'acme', sub: 'eve', exp: 1 }) }, 'anon-id');
  expect(scopeOf({ serverUrl: server, token: token({ tenant: 'acme', sub: 'eve', exp: 2, name: 'Eve E.' }, 'other') }, 'anon-id')).toBe(eve);
  const others = [
    scopeOf({ serverUrl: server, token: token({ tenant: 'beta', sub: 'eve' }) }, 'anon-id'),
    scopeOf({ serverUrl: server, token: token({ tenant: 'acme', sub: 'fay' }) }, 'anon-id'),
    scopeOf({ serverUrl: 'https://other.example.com', token: token({ tenant: 'acme', sub: 'eve' }) }, 'anon-id'),
    scopeOf({ serverUrl: server }, 'anon-id'),
  ];
  expect(new Set([eve, ...others]).size).toBe(5);
});

it('anonymous users are scoped by their anonymous id, whatever name they use', () => {
  expect(scopeOf({ serverUrl: server }, 'a')).toBe(scopeOf({ serverUrl: server }, 'a'));
  expect(scopeOf({ serverUrl: server }, 'a')).not.toBe(scopeOf({ serverUrl: server }, 'b'));
});

it('a token whose claims cannot be read is a scope of its own', () => {
  const odd = ['opaque-token', 'a.!!!.c', token({ tenant: 7, sub: 'eve' }), `x.${Buffer.from('[1]').toString('base64url')}.y`];
  const scopes = odd.map((t) => scopeOf({ serverUrl: server, token: t }, 'anon-id'));
  expect(new Set(scopes).size).toBe(odd.length);
  expect(scopes).not.toContain(scopeOf({ serverUrl: server }, 'anon-id'));
});
