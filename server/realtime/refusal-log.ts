import type { Logger } from '../log.js';
import { TokenBucket } from './rate-limit.js';

/** Refused-handshake lines written at most at this pace (with a burst), like `event_without_ack` per connection. */
const LINES_PER_SECOND = 2;
const LINES_BURST = 20;
/** Suppressed lines are summed up this long after the first one, or before the next line written, whichever comes first. */
const SUMMARY_MS = 10_000;

/**
 * The log of refused handshakes (bad origin, bad token, over the connection cap). Each refusal costs
 * the client one request and the server one log line: without a budget, a client refused in a loop
 * fills the operator's disk. The budget is the same token bucket that limits a connection's
 * operations (rate-limit.ts), here one for the whole server since a refused client has no connection
 * to hang it on; what it suppresses is counted, per reason, into one `handshake_refusals_suppressed` line.
 */
export class RefusalLog {
  readonly #bucket = new TokenBucket(LINES_PER_SECOND, LINES_BURST);
  readonly #suppressed = new Map<string, number>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly log: Logger) {}

  refused(level: 'info' | 'warn', event: string, reason: string, fields: Record<string, unknown>): void {
    if (this.#bucket.take()) {
      this.flush();
      this.log[level](event, { reason, ...fields });
      return;
    }
    this.#suppressed.set(reason, (this.#suppressed.get(reason) ?? 0) + 1);
    this.#timer ??= setTimeout(() => this.flush(), SUMMARY_MS).unref();
  }

  /** Writes the summary of what was suppressed since the last one, if anything was. */
  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#suppressed.size === 0) return;
    // A list, not an object keyed by reason: the logger redacts any key that looks like a credential,
    // and reasons such as `token rejected: …` would be.
    const byReason = [...this.#suppressed].map(([reason, count]) => ({ reason, count }));
    this.#suppressed.clear();
    this.log.warn('handshake_refusals_suppressed', { count: byReason.reduce((n, r) => n + r.count, 0), byReason });
  }
}
