import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { loadSecret } from '../auth/secret.js';
import { ANONYMOUS_PREFIX, TENANT_PATTERN, TokenClaims, signToken } from '../auth/tokens.js';
import { configFromEnv } from '../config.js';
import { StartupError } from '../startup-error.js';
import { SqliteStore } from '../store/sqlite-store.js';

/**
 * `npm run token -- --tenant acme --user alice --name Alice [--role moderator] [--expires 30d]`
 * Prints a signed identity token to stdout, and registers the tenant in the server's database: a token
 * for a tenant the server does not know is refused, so tenants exist only where someone issued one.
 */
const { values } = parseArgs({
  options: {
    tenant: { type: 'string' },
    user: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'member' },
    expires: { type: 'string', default: '30d' },
  },
});

function fail(message: string): never {
  process.stderr.write(`token: ${message}\nusage: npm run token -- --tenant acme --user alice --name Alice [--role moderator] [--expires 30d]\n`);
  process.exit(2);
}

if (!values.tenant || !TENANT_PATTERN.test(values.tenant)) fail('--tenant must be lower-case letters, digits, - or _');
if (!values.user) fail('--user is required');
if (values.user.startsWith(ANONYMOUS_PREFIX)) fail(`--user may not start with ${ANONYMOUS_PREFIX}: those ids are anonymous users'`);
if (!values.name || values.name.trim() === '') fail('--name is required');
if (values.role !== 'member' && values.role !== 'moderator') fail('--role must be member or moderator');

// The claims as the server will check them on every connection (tokens.ts): a longer --name or
// --user was signed anyway, and the token then was refused `unauthorized` wherever it was used.
const claims = v.safeParse(TokenClaims, { tenant: values.tenant, sub: values.user, name: values.name, role: values.role });
if (!claims.success) {
  const [issue] = claims.issues;
  const flag = { sub: 'user', name: 'name' }[String(issue.path?.[0]?.key)] ?? String(issue.path?.[0]?.key);
  fail(`--${flag}: ${issue.message}`);
}

const config = configFromEnv();
// Signed before the tenant is registered: a refused --expires leaves nothing behind.
const token = await signToken(loadSecret(config.dbPath, config.secret), claims.output, values.expires).catch(() =>
  fail('--expires must be a period such as 30d, 12h or 90m'),
);
let store: SqliteStore;
try {
  // Under GLOSS_DB_CHECK as the server is (start-check.ts): a token issued while the server is stopped
  // after a clean close neither reads the whole file again nor makes the server's next start do so.
  store = new SqliteStore(config.dbPath, {}, {}, config.dbCheck);
} catch (err) {
  if (err instanceof StartupError) fail(`${err.code}: ${err.message}`);
  throw err;
}
store.ensureTenant(values.tenant);
store.close();
process.stdout.write(`${token}\n`);
