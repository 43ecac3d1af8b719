import { startServer } from './app.js';
import { configFromEnv, type ServerConfig } from './config.js';
import { createLogger, type Logger } from './log.js';
import { StartupError } from './startup-error.js';

/** A refusal the operator must act on is one readable line and a nonzero exit, not a stack trace. */
function refuse(log: Logger, err: unknown): never {
  if (!(err instanceof StartupError)) throw err;
  log.error('startup_refused', { code: err.code, message: err.message });
  process.exit(1);
}

let config: ServerConfig;
try {
  config = configFromEnv();
} catch (err) {
  // The configured log level is part of what failed: the refusal is logged at the default one.
  refuse(createLogger('info'), err);
}
const log = createLogger(config.logLevel);
const server = await startServer(config, log).catch((err: unknown) => refuse(log, err));
// Before the `listening` line: a supervisor that stops the server as soon as it reads that line would
// otherwise meet the default action of SIGTERM (an exit with no close), and the next start would
// check the whole database (GLOSS_DB_CHECK=auto, server/store/start-check.ts).
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    void server.close().then(() => process.exit(0));
  });
}
// The one line a person (and the test harness) looks for.
log.info('listening', { url: server.url, db: config.dbPath, tls: Boolean(config.tls), anonymous: config.anonymous });
