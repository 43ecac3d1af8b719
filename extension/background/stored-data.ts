import type { Hub } from './hub.js';
import { byPage, type OutboxRow } from './outbox-codec.js';
import { opTarget } from './pending.js';
import { emptyPage, type PageState } from './reducer.js';

/**
 * What the worker reads back from IndexedDB when it starts, and whose data it is. The cache and the
 * outbox are first checked against the scope (scope.ts) of the current settings, then the outbox is
 * read back and kept per page until its page is opened; pages read their cache after the check.
 * Before each socket starts the check is made again (enterScope): after a switch to another scope
 * the cached pages and the ops not sent yet are dropped.
 */
export class StoredData {
  /** The stored data checked against the current settings' scope; pages load after it. */
  #scoped: Promise<void>;
  /** Outbox rows read back at start, per page, until their page is opened. */
  #stored: Promise<Map<string, OutboxRow[]>>;

  constructor(private readonly hub: Hub) {
    const { deps } = hub;
    this.#scoped = deps
      .currentScope()
      .then((scope) => this.#switchScope(scope, () => this.#dropStoredData()))
      .catch((error: unknown) => console.warn('[gloss] could not check whose data is stored:', error instanceof Error ? error.message : String(error)));
    this.#stored = this.#scoped.then(() => deps.readOutbox()).then((rows) => {
      hub.ops.restored(rows);
      return byPage(rows);
    });
  }

  /** A page's cached state, once the stored data is known to be the current scope's. */
  readPage(pageKey: string): Promise<PageState | null> {
    return this.#scoped.then(() => this.hub.deps.readPage(pageKey));
  }

  /** The page's rows read back from the outbox, handed over once (to the page when it opens). */
  takeRows(pageKey: string): Promise<OutboxRow[]> {
    return this.#stored.then((stored) => {
      const rows = stored.get(pageKey) ?? [];
      stored.delete(pageKey);
      return rows;
    });
  }

  /** Whether an op read back from the outbox still waits for its page to open. */
  hasOps(): Promise<boolean> {
    return this.#stored.then((stored) => [...stored.values()].some((l) => l.length > 0));
  }

  /** The rows read back whose page is not open yet, by page (the live map: what is taken leaves it). */
  waiting(): Promise<Map<string, OutboxRow[]>> {
    return this.#stored;
  }

  /**
   * Called before each socket starts, with the scope of its settings. When it is not the scope the
   * cache and outbox were written under, they are dropped (scope.ts says why): the cached pages, and
   * every op not sent yet, each reported to its tabs as refused. Data from before scopes were kept
   * is taken to be the current scope's.
   */
  async enterScope(scope: string): Promise<void> {
    await this.#scoped;
    await this.#switchScope(scope, () => this.#dropScopedData());
  }

  async #switchScope(scope: string, drop: () => Promise<void>): Promise<void> {
    const { deps } = this.hub;
    const previous = await deps.readScope();
    if (previous === scope) return;
    if (previous !== null) await drop();
    await deps.writeScope(scope);
  }

  /** At the worker's start, before any page or op is read back: there is no tab to tell yet. */
  async #dropStoredData(): Promise<void> {
    const { deps } = this.hub;
    for (const row of await deps.readOutbox()) await deps.outbox.remove(row.broadcastId);
    await deps.clearPages();
  }

  async #dropScopedData(): Promise<void> {
    const { hub } = this;
    const { deps } = hub;
    const stored = await this.#stored;
    for (const rows of stored.values()) for (const row of rows) await deps.outbox.remove(row.broadcastId);
    stored.clear();
    await Promise.all([...hub.pages.values()].map((page) => page.loaded));
    await deps.clearPages();
    const error = { code: 'unauthorized' as const, message: 'you switched to another server or account before this was sent' };
    for (const page of hub.pages.values()) {
      for (const op of page.ops) {
        await deps.outbox.remove(op.request.broadcastId);
        for (const port of hub.portsOf(page)) port.post({ type: 'op-failed', broadcastId: op.request.broadcastId, id: opTarget(op), error });
      }
      page.forgetOps();
      page.state = emptyPage(page.key);
      page.presence = null;
      page.push(hub.portsOf(page));
    }
  }
}
