import { startServer } from './app.js';
import { configFromEnv } from './config.js';
import { createLogger } from './log.js';

const config = configFromEnv();
const log = createLogger(config.logLevel);
const server = await startServer(config, log);
// The one line a person (and the test harness) looks for.
log.info('listening', { url: server.url, db: config.dbPath, tls: Boolean(config.tls), anonymous: config.anonymous });

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    void server.close().then(() => process.exit(0));
  });
}
