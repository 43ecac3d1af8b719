import type { Store } from '../store/types.js';

/**
 * Per-tenant usage as the product bills it: `pubSubMessageCount` (messages delivered to client
 * sockets, one per recipient) and `pubSubBandwidth` (their bytes). Counted in memory on the hot path
 * and added to the store every few seconds, so totals survive a restart.
 */
export class UsageMeter {
  private pending = new Map<string, [messages: number, bytes: number]>();

  /** `failed` hears a flush the store refused (its totals are kept for the next flush); it may rethrow. */
  constructor(
    private readonly store: Store,
    private readonly failed: (err: unknown) => void = (err) => {
      throw err;
    },
  ) {}

  count(tenant: string, recipients: number, bytesEach: number): void {
    if (recipients > 0) this.add(tenant, recipients, recipients * bytesEach);
  }

  private add(tenant: string, messages: number, bytes: number): void {
    const entry = this.pending.get(tenant);
    if (entry) {
      entry[0] += messages;
      entry[1] += bytes;
    } else {
      this.pending.set(tenant, [messages, bytes]);
    }
  }

  flush(): void {
    if (this.pending.size === 0) return;
    const rows = [...this.pending].map(([t, [m, b]]) => [t, m, b] as [string, number, number]);
    this.pending = new Map();
    try {
      this.store.addUsage(rows);
    } catch (err) {
      // A full or failing store must not lose what was counted, nor end the server from a timer.
      for (const [tenant, messages, bytes] of rows) this.add(tenant, messages, bytes);
      this.failed(err);
    }
  }

  /** Stored totals plus what is not yet flushed. */
  totals(tenant?: string): { tenant: string; pubSubMessageCount: number; pubSubBandwidth: number }[] {
    this.flush();
    return this.store.usage(tenant);
  }
}
