import type { Store } from '../store/types.js';

/**
 * Per-tenant usage as the product bills it: `pubSubMessageCount` (messages delivered to client
 * sockets, one per recipient) and `pubSubBandwidth` (their bytes). Counted in memory on the hot path
 * and added to the store every few seconds, so totals survive a restart.
 */
export class UsageMeter {
  private pending = new Map<string, [messages: number, bytes: number]>();

  constructor(private readonly store: Store) {}

  count(tenant: string, recipients: number, bytesEach: number): void {
    if (recipients <= 0) return;
    const entry = this.pending.get(tenant);
    if (entry) {
      entry[0] += recipients;
      entry[1] += recipients * bytesEach;
    } else {
      this.pending.set(tenant, [recipients, recipients * bytesEach]);
    }
  }

  flush(): void {
    if (this.pending.size === 0) return;
    const rows = [...this.pending].map(([t, [m, b]]) => [t, m, b] as [string, number, number]);
    this.pending = new Map();
    this.store.addUsage(rows);
  }

  /** Stored totals plus what is not yet flushed. */
  totals(tenant?: string): { tenant: string; pubSubMessageCount: number; pubSubBandwidth: number }[] {
    this.flush();
    return this.store.usage(tenant);
  }
}
