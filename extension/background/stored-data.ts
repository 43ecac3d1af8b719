import type { BackgroundToContent } from '../../protocol/runtime.js';
import type { Hub } from './hub.js';
import type { Page } from './page.js';
import { byPage, type OutboxRow } from './outbox-codec.js';
import { opTarget, type PendingOp } from './pending.js';
import { emptyPage, type PageState } from './reducer.js';

/** Why an op not sent yet was dropped by a switch of scope, as its tabs are told. */
const SWITCHED = { code: 'unauthorized', message: 'you switched to another server or account before this was sent' } as const;

type OpFailed = Extract<BackgroundToContent, { type: 'op-failed' }>;

function switchedAway(op: PendingOp): OpFailed {
  return { type: 'op-failed', broadcastId: op.request.broadcastId, id: opTarget(op), error: { ...SWITCHED } };
}

/**
 * What the worker reads back from IndexedDB when it starts, and whose data it is. The cache and the
 * outbox are first checked against the scope (scope.ts) of the current settings, then the outbox is
 * read back and kept per page until its page is opened; pages read their cache after the check.
 * Before each socket starts the check is made again (enterScope): after a switch to another scope
 * the cached pages and the ops not sent yet are dropped.
 *
 * Every op dropped so is reported to its page's tabs (`op-failed`, `unauthorized`), so that what they
 * show as pending reverts and the user learns why: at once to the tabs open then, and to the tabs
 * of its page that connect afterwards (after a worker restart every tab's port reconnects), until
 * the page, once told, has no tab left.
 */
export class StoredData {
  /**
   * The check at start, then each switch of scope in turn: a page reads its cache and takes its
   * stored ops after the ones begun before it was opened, so nothing of the previous scope reaches it.
   */
  #scoped: Promise<void>;
  /** The scope the stored data is known to be under (this worker is the only writer); undefined before it is read. */
  #scope: string | null | undefined = undefined;
  /** Outbox rows read back at start, per page, until their page is opened. */
  #stored: Promise<Map<string, OutboxRow[]>>;
  /** Ops dropped by a switch of scope, per page; `told` once a tab of the page has heard of them. */
  #refused = new Map<string, { failures: OpFailed[]; told: boolean }>();

  constructor(private readonly hub: Hub) {
    const { deps } = hub;
    this.#scoped = deps
      .scopeAtStart()
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
    return this.#scoped.then(() => this.#stored).then((stored) => {
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

  /** What a tab that shows the page now must be told about its page's dropped ops. */
  refusals(pageKey: string): OpFailed[] {
    const refused = this.#refused.get(pageKey);
    if (refused === undefined) return [];
    refused.told = true;
    return refused.failures;
  }

  /** The page has no tab left: once its dropped ops were reported, they are forgotten. */
  pageClosed(pageKey: string): void {
    if (this.#refused.get(pageKey)?.told === true) this.#refused.delete(pageKey);
  }

  #refuse(op: PendingOp, told: boolean): void {
    const refused = this.#refused.get(op.pageKey) ?? { failures: [], told };
    refused.failures.push(switchedAway(op));
    refused.told ||= told;
    this.#refused.set(op.pageKey, refused);
  }

  /**
   * Called before each socket starts, with the scope of its settings. When it is not the scope the
   * cache and outbox were written under, they are dropped (scope.ts says why): the cached pages, and
   * every op not sent yet, each reported to its page's tabs as refused. Data from before scopes were kept
   * is taken to be the current scope's.
   */
  enterScope(scope: string): Promise<void> {
    // The pages open now are the ones that may hold the previous scope's data; one opened from
    // here on reads the cache and the outbox only after this switch (readPage, takeRows).
    const open = [...this.hub.pages.values()];
    const switched = this.#scoped.then(() => this.#switchScope(scope, () => this.#dropScopedData(open)));
    // Switches run one after the other; a failed one is the caller's to report (its socket does not start).
    this.#scoped = switched.catch(() => {});
    return switched;
  }

  async #switchScope(scope: string, drop: () => Promise<void>): Promise<void> {
    const { deps } = this.hub;
    const previous = this.#scope !== undefined ? this.#scope : await deps.readScope();
    this.#scope = previous;
    if (previous === scope) return;
    if (previous !== null) await drop();
    await deps.writeScope(scope);
    this.#scope = scope;
  }

  /** At the worker's start, before any page or op is read back: their tabs are told when they connect. */
  async #dropStoredData(): Promise<void> {
    const { deps } = this.hub;
    await this.#dropRows(await deps.readOutbox());
    await deps.clearPages();
  }

  /** Rows of the outbox whose page is not open: removed, and kept to tell the page's tabs when they connect. */
  async #dropRows(rows: readonly OutboxRow[]): Promise<void> {
    for (const row of rows) {
      await this.hub.deps.outbox.remove(row.broadcastId);
      this.#refuse(row.op, false);
    }
  }

  async #dropScopedData(open: readonly Page[]): Promise<void> {
    const { hub } = this;
    const { deps } = hub;
    const stored = await this.#stored;
    for (const rows of stored.values()) await this.#dropRows(rows);
    stored.clear();
    await Promise.all(open.map((page) => page.loaded));
    // A write still waiting would bring the previous scope's state back after the clear.
    hub.cacheWrites.cancel();
    await deps.clearPages();
    for (const page of open) {
      if (hub.pages.get(page.key) !== page) continue;
      const ports = hub.portsOf(page);
      for (const op of page.ops) {
        await deps.outbox.remove(op.request.broadcastId);
        this.#refuse(op, ports.length > 0);
        for (const port of ports) port.post(switchedAway(op));
      }
      page.dropOps();
      page.state = emptyPage(page.key);
      page.presence = null;
      page.push(ports);
      // A page kept only for its ops, with no tab: nothing is left to keep it for.
      hub.release(page);
    }
  }
}
