import type { SessionArea } from '../../extension/background/tab-history.js';

/**
 * Stands in for the browser's `storage.session` (a browser API, not our code): it outlives a worker,
 * and hands out copies, as the browser's structured storage does.
 */
export class SessionStorage implements SessionArea {
  readonly items = new Map<string, unknown>();

  async get(key: string): Promise<Record<string, unknown>> {
    return this.items.has(key) ? { [key]: structuredClone(this.items.get(key)) } : {};
  }

  async set(items: Record<string, unknown>): Promise<void> {
    for (const [key, value] of Object.entries(items)) this.items.set(key, structuredClone(value));
  }
}
