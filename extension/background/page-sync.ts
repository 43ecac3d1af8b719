import * as v from 'valibot';
import type { ServerSocket } from './connection.js';
import type { Hub } from './hub.js';
import type { Page } from './page.js';
import { applyChanges, applySnapshot, emptyPage } from './reducer.js';
import { SyncAckSchema, type ServerChange, type ServerSyncState } from './server-schemas.js';
import { retryDelay } from './outbox-rules.js';
import { ACK_TIMEOUT_MS } from './timing.js';

/** Syncs in a row that still leave a gap before the worker gives up until the next event. */
const MAX_SYNC_ATTEMPTS = 3;

/** Why a join or sync got no usable answer, for the worker's log (`null`: none came in time). */
function failedBecause(answer: v.SafeParseResult<typeof SyncAckSchema> | null): string {
  if (answer === null) return 'no answer';
  return answer.success && !answer.output.ok ? answer.output.error.code : 'unexpected answer';
}

/**
 * Keeps each page in step with the server: `page:join` on every (re)connection, resuming from the
 * cached seq; `page:sync` whenever a gap shows (a seq skipped, an answer that may have changed more
 * than it says), tried again after a pause when it gets no usable answer; and the server's
 * broadcasts applied in seq order, held back while a join or sync is answering. A page is in step
 * (`synced`, its tabs read `live`) once nothing is left to fetch; then its outbox goes out.
 */
export class PageSync {
  constructor(private readonly hub: Hub) {}

  join(socket: ServerSocket, page: Page, attempt = 0): void {
    const { connection } = this.hub.deps;
    if (page.status !== 'idle' || !socket.connected || connection.live !== socket) return;
    page.status = 'joining';
    page.synced = false;
    const sinceSeq = page.seq ?? undefined;
    socket.timeout(ACK_TIMEOUT_MS).emit('page:join', { url: page.url, ...(sinceSeq !== undefined ? { sinceSeq } : {}) }, (error, raw) => {
      if (page.status !== 'joining' || connection.live !== socket) return;
      const answer = error ? null : v.safeParse(SyncAckSchema, raw);
      if (answer === null || !answer.success || !answer.output.ok) {
        console.warn(`[gloss] could not join a page (${failedBecause(answer)}); trying again`);
        page.status = 'idle';
        // The outbox keeps its ops: they go out once a later join succeeds.
        page.waiting = setTimeout(() => {
          page.waiting = null;
          this.join(socket, page, attempt + 1);
        }, retryDelay(attempt + 1));
        return;
      }
      page.status = 'joined';
      this.#apply(page, answer.output, sinceSeq === undefined, 0);
    });
  }

  /**
   * Asks for what was missed; `full` starts from nothing when the kept state cannot be trusted.
   * `attempt` counts syncs answered that still left a gap, `failures` syncs that got no usable answer.
   */
  catchUp(page: Page, full: boolean, attempt = 0, failures = 0): void {
    const socket = this.hub.deps.connection.live;
    if (!socket || page.status !== 'joined' || page.syncing) return;
    if (attempt >= MAX_SYNC_ATTEMPTS) {
      console.warn('[gloss] a page stayed out of step with the server after several syncs');
      return;
    }
    page.syncing = true;
    const sinceSeq = full || page.seq === null ? 0 : page.seq;
    socket.timeout(ACK_TIMEOUT_MS).emit('page:sync', { url: page.url, sinceSeq }, (error, raw) => {
      if (!page.syncing || page.resync !== null || this.hub.deps.connection.live !== socket) return;
      const answer = error ? null : v.safeParse(SyncAckSchema, raw);
      if (answer === null || !answer.success || !answer.output.ok) {
        console.warn(`[gloss] could not sync a page (${failedBecause(answer)}); trying again`);
        this.#catchUpLater(page, full, attempt, failures + 1);
        return;
      }
      page.syncing = false;
      this.#apply(page, answer.output, sinceSeq === 0, attempt + 1);
    });
  }

  /**
   * A sync got no usable answer (`rate_limited`, `internal`, a timeout) on a socket that is still up:
   * the gap is still there, so the page is not in step. Its tabs read `reconnecting`, server events
   * stay buffered and its outbox waits, until a later sync closes the gap. Marking it in step here
   * would leave the missed changes out until some later event happened to show the gap again.
   */
  #catchUpLater(page: Page, full: boolean, attempt: number, failures: number): void {
    if (page.synced) {
      page.synced = false;
      this.hub.announce(page);
    }
    page.resync = setTimeout(() => {
      page.resync = null;
      page.syncing = false;
      this.catchUp(page, full, attempt, failures);
    }, retryDelay(failures));
  }

  #apply(page: Page, sync: ServerSyncState, fromNothing: boolean, attempt: number): void {
    page.presence = { viewers: sync.viewers, users: sync.users };
    const ports = this.hub.portsOf(page);
    for (const port of ports) port.post({ type: 'presence', ...page.presence });
    let gap: { full: boolean } | null = null;
    if ('conversations' in sync) {
      page.state = applySnapshot(page.state, sync.seq, sync.conversations);
    } else {
      // From nothing, the state is replaced as a whole; otherwise only the changes' conversations move.
      let applied: { gap: { full: boolean } | null };
      if (fromNothing) {
        const whole = applyChanges({ ...emptyPage(page.key), seq: 0, deleted: page.deleted }, sync.changes);
        page.state = whole.state;
        applied = whole;
      } else {
        applied = page.change(sync.changes.map((change) => change.id), (state) => applyChanges(state, sync.changes));
      }
      gap = applied.gap ?? (page.seq !== null && page.seq < sync.seq ? { full: false } : null);
    }
    this.hub.changed(page);
    const buffered = page.buffer;
    page.buffer = [];
    if (gap) {
      this.catchUp(page, gap.full, attempt);
      // Held for after the sync's answer; without a sync in flight they cannot be applied in order.
      if (page.syncing) page.buffer.push(...buffered);
    } else if (buffered.length > 0) {
      this.receive(page, buffered);
    }
    this.#afterSync(page);
  }

  /** A join or sync is over: the page is live when nothing is left to fetch; then its outbox goes out. */
  #afterSync(page: Page): void {
    if (page.syncing || page.status !== 'joined') return;
    const was = page.synced;
    page.synced = true;
    if (!was) {
      // Before the tabs hear `live`: the marks of what is new since the last visit come with the page in step.
      this.hub.inStep(page);
      this.hub.announce(page);
    }
    this.hub.ops.pump(page);
  }

  /** Broadcasts for one page, in seq order. Held back while a join or sync is answering. */
  receive(page: Page, changes: ServerChange[]): void {
    if (page.status !== 'joined' || page.syncing) {
      page.buffer.push(...changes);
      return;
    }
    const applied = page.change(changes.map((change) => change.id), (state) => applyChanges(state, changes));
    // Our own operations echoed back: they are confirmed now, whether or not the ack came yet.
    for (const change of changes) this.hub.ops.settleEcho(page, change.broadcastId, change.type === 'updated-text-chat' ? change.revision : null);
    this.hub.changed(page);
    if (applied.gap) this.catchUp(page, applied.gap.full);
  }
}
