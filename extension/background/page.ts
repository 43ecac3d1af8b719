import type { Conversation, User } from '../../protocol/model.js';
import type { BackgroundToContent, LocalConversation } from '../../protocol/runtime.js';
import type { OutboxRow } from './outbox-codec.js';
import type { OwnRun } from './outbox-rules.js';
import { LiveView } from './live-view.js';
import { diffIds, diffView, opTarget, settle, type PendingOp } from './pending.js';
import { pushMessages } from './push-chunks.js';
import { emptyPage, type PageState } from './reducer.js';
import type { ServerChange } from './server-schemas.js';
import { Unsaved, type PageDelta } from './unsaved.js';
import { Visit } from './visit.js';

/**
 * What the worker keeps about one op while it is in the outbox. One record per op, made when the op
 * enters the outbox and dropped when it leaves: kept apart, per-op maps drifted (one cleared, another not).
 */
interface OpRecord {
  /** Its position in the persisted outbox, kept to write it back in place (a rebased edit). */
  readonly order: number;
  /** Sends so far, those lost with their connection included (a retried edit may be in already). */
  tries: number;
  /** Sends lost with their connection, which do not count towards MAX_TRIES (outbox-rules.ts). */
  lost: number;
}

/** Deleted conversations a page keeps to show again at once on an undo (Page.deletedHere). */
const MAX_UNDOABLE = 8;

/** A page port as the hub sees it: where it is and how to reach it. */
export interface TabPort {
  readonly tabId: number;
  post(message: BackgroundToContent): void;
}

/**
 * One page some tab is showing: its confirmed state (mirrored to IndexedDB), its outbox (ops not
 * confirmed yet, mirrored to IndexedDB too), and what its tabs were last sent. Lives while a port
 * of the page is open or an op is pending; rebuilt from the cache, the outbox and the server after
 * a worker restart.
 */
export class Page {
  #state: PageState;
  /**
   * Whether the state's record of conversations may be held outside the page: set when a state comes
   * in whole (the setter) and when the record is handed out (the `state` getter). `change` writes the
   * record in place only while this is false, and copies it first otherwise (copy on write).
   */
  #shared = false;
  /** What the cache lacks of the state (unsaved.ts): each write stores that alone. */
  readonly #unsaved = new Unsaved();
  /** The outbox of this page, in the order made; each op's bookkeeping is in #records, added and dropped with it. */
  #ops: PendingOp[] = [];
  #records = new Map<string, OpRecord>();
  presence: { viewers: number; users: User[] } | null = null;
  /** `joined` once the server answered page:join on the current socket. */
  status: 'idle' | 'joining' | 'joined' = 'idle';
  /** A sync is in flight, or waits to be tried again (`resync`); server events are buffered meanwhile. */
  syncing = false;
  /** The pause before a failed sync is sent again. */
  resync: ReturnType<typeof setTimeout> | null = null;
  /** Server events that came while a join or sync was in flight, applied after its answer. */
  buffer: ServerChange[] = [];
  /** The op sent and not answered yet (always `ops[0]`), with the send's token; one at a time keeps the order. */
  inFlight: { broadcastId: string; token: number } | null = null;
  /**
   * The op whose last send got no answer on a connection still up, until it is sent again: if the
   * connection drops meanwhile, the silence was the connection's (a dead network is noticed by the
   * ping after the ack's timeout), and that send counts as lost.
   */
  unanswered: string | null = null;
  /** Per conversation, the latest revisions only our own ops made (outbox-rules.ts ownBase). */
  ownRuns = new Map<string, OwnRun>();
  /** A pause before the next send or join (after `rate_limited`, `internal` or a failed join). */
  waiting: ReturnType<typeof setTimeout> | null = null;
  /** Set once a join or sync on the current socket has brought the state up to the server's. */
  synced = false;
  readonly loaded: Promise<void>;
  /** Set once `loaded` has resolved: the cached state and the stored ops are in. */
  ready = false;
  /** The fingerprints of what the tabs were last sent (pending.ts diffView), brought up to date by each push. */
  #shown = new Map<string, string>();
  /** What the tabs show, kept between pushes (live-view.ts): a push costs what changed, not the page's size. */
  readonly #live = new LiveView(() => ({ state: this.#state, ops: this.#ops }));
  /**
   * The conversations this worker's tabs deleted lately, as they showed them just before: what an
   * undo shows again until the server answers (pending.ts, `restore`). In memory only, the last few:
   * an undo is offered for seconds, and one after a worker restart waits for the server's copy.
   */
  readonly deletedHere = new Map<string, Conversation>();
  /** This visit of the page: what is new to the user since the last one (visit.ts). */
  readonly visit = new Visit();

  constructor(
    readonly key: string,
    /** The address sent to the server (see messages.ts wireUrl). */
    readonly url: string,
    load: (pageKey: string) => Promise<PageState | null>,
    /** The page's rows of the persisted outbox (after a worker restart): older than any op made since. */
    restore: (pageKey: string) => Promise<readonly OutboxRow[]> = () => Promise.resolve([]),
    /** Told after a push that changed what the tabs show (the popup and the toolbar badge show how many conversations there are). */
    private readonly viewChanged: () => void = () => {},
  ) {
    this.#state = emptyPage(key);
    this.loaded = Promise.all([load(key), restore(key)]).then(([cached, stored]) => {
      this.visit.begin(cached?.conversations ?? null);
      if (cached !== null && this.#state.seq === null && Object.keys(this.#state.conversations).length === 0) {
        this.state = cached;
        this.#unsaved.stored();
      }
      const fresh = new Set(this.#ops.map((op) => op.request.broadcastId));
      const restored = stored.filter((row) => !fresh.has(row.broadcastId));
      this.#ops = [...restored.map((row) => row.op), ...this.#ops];
      this.#live.reset();
      // The worker before this one may have sent them and been stopped before the answer: count that
      // send, so that a retried edit found already in place counts as applied (outbox-rules verdict).
      // It is not the op's failure either.
      for (const row of stored) {
        const record = this.#records.get(row.broadcastId);
        if (record === undefined) this.#records.set(row.broadcastId, { order: row.order, tries: 1, lost: 1 });
        else Object.assign(record, { tries: 1, lost: 1 });
      }
      this.ready = true;
    });
  }

  /**
   * The confirmed state, as it is now. Its record of conversations is not changed afterwards: once
   * handed out here it counts as shared, and the page's next `change` copies it before writing. What
   * is read often goes through `seq` and `deleted`, and a cache write through `takeUnsaved`.
   */
  get state(): PageState {
    this.#shared = true;
    return this.#state;
  }

  /** The state's seq (not handing out its record). */
  get seq(): number | null {
    return this.#state.seq;
  }

  /** The state's tombstones (an array the reducer never changes in place). */
  get deleted(): readonly string[] {
    return this.#state.deleted;
  }

  /**
   * A state that replaces the page's as a whole (a snapshot, the cache, another scope): the view is
   * made again from it. Its caller may keep it, so its record is shared: copied before a change.
   */
  set state(next: PageState) {
    this.#state = next;
    this.#shared = true;
    this.#unsaved.replaced();
    this.#live.reset();
  }

  /**
   * What the cache lacks of the state, for a write starting now (null while the state has no seq);
   * counted as written unless given back by `notSaved`. Hands out no record: the conversations
   * themselves are never changed in place.
   */
  takeUnsaved(): PageDelta | null {
    return this.#unsaved.take(this.#state);
  }

  /** The write of `delta` was not stored: the next write covers it again. */
  notSaved(delta: PageDelta): void {
    this.#unsaved.failed(delta);
  }

  /**
   * Moves the state by `step`, a reducer function (reducer.ts) over the changes, answer or
   * conversation it is given, `ids` being theirs: each reducer function reads and writes those
   * conversations alone (and the seq and tombstones). The step is given the state with those
   * conversations only, and what it makes of them is written into the page's record in place, so an
   * event costs what it changed, not the page's size: a step over the whole state copied the page's
   * record for every event (docs/benchmarks.md, change 39). The view changes those entries alone.
   * Listing an id that did not change costs only its recompute; a step that makes a conversation it
   * was not given throws rather than lose it. Returns what the step returned besides its state.
   */
  change<R extends { readonly state: PageState }>(ids: Iterable<string>, step: (state: PageState) => R): Omit<R, 'state'> {
    const touched = new Set(ids);
    const prev = this.#state;
    const some: Record<string, Conversation> = {};
    for (const id of touched) if (Object.hasOwn(prev.conversations, id)) some[id] = prev.conversations[id]!;
    const { state: next, ...rest } = step({ ...prev, conversations: some });
    for (const id of Object.keys(next.conversations)) {
      if (!touched.has(id)) throw new Error(`a change of the page touched a conversation it did not name (${id})`);
    }
    // Nothing outside the page holds the record unless it was handed out since it was made (#shared).
    const record: Record<string, Conversation> = this.#shared ? { ...prev.conversations } : (prev.conversations as Record<string, Conversation>);
    this.#shared = false;
    // In the step's order: conversations new to the page come last in the order they were made, as
    // with a copy. (One removed and made again within one step keeps its place, where a copy put it
    // last: nothing reads the record's order, tabs order conversations by where they are on the page.)
    for (const [id, chat] of Object.entries(next.conversations)) record[id] = chat;
    for (const id of touched) if (!Object.hasOwn(next.conversations, id)) delete record[id];
    this.#state = { ...next, conversations: record };
    this.#unsaved.touched(touched);
    this.#live.stateChanged(prev.deleted, touched);
    return rest;
  }

  /** The page's outbox, in the order made (changed only through the methods below). */
  get ops(): readonly PendingOp[] {
    return this.#ops;
  }

  /** A tab's new op joins the outbox, last, at `order` in the persisted outbox. */
  addOp(op: PendingOp, order: number): void {
    this.#ops.push(op);
    this.#records.set(op.request.broadcastId, { order, tries: 0, lost: 0 });
    this.#live.opsChanged([opTarget(op)]);
  }

  /** An op in the outbox changed (a moved baseRevision); it keeps its place and its counts. */
  replaceOp(moved: PendingOp): void {
    const id = moved.request.broadcastId;
    const targets = new Set([opTarget(moved)]);
    this.#ops = this.#ops.map((o) => {
      if (o.request.broadcastId !== id) return o;
      targets.add(opTarget(o));
      return moved;
    });
    this.#live.opsChanged(targets);
  }

  /** The op left the outbox (confirmed, refused or dropped): nothing about it is kept. Null if it was not there. */
  dropOp(broadcastId: string): PendingOp | null {
    const settled = settle(this.#ops, broadcastId);
    this.#ops = settled.ops;
    this.#records.delete(broadcastId);
    if (this.unanswered === broadcastId) this.unanswered = null;
    if (settled.op !== null) this.#live.opsChanged([opTarget(settled.op)]);
    return settled.op;
  }

  /**
   * The page's data belongs to another scope: every op leaves the outbox at once and nothing about
   * them is kept. Nor are the runs of revisions those ops made (ownRuns): they were the previous
   * account's, and taken for the new one's own they would move a stale edit's base over changes it
   * never saw (ownBase), overwriting them.
   */
  dropOps(): void {
    const targets = this.#ops.map(opTarget);
    this.#ops = [];
    this.#live.opsChanged(targets);
    this.#records.clear();
    this.ownRuns.clear();
    this.unanswered = null;
    this.inFlight = null;
  }

  /** How many ops the page keeps bookkeeping for (as many as are in its outbox). */
  get records(): number {
    return this.#records.size;
  }

  /** The op's position in the persisted outbox. */
  /** Keeps `chat`, about to be deleted by a tab, for an undo (deletedHere); the oldest go past a few. */
  rememberDeleted(chat: Conversation): void {
    this.deletedHere.delete(chat.id);
    this.deletedHere.set(chat.id, chat);
    for (const id of this.deletedHere.keys()) {
      if (this.deletedHere.size <= MAX_UNDOABLE) break;
      this.deletedHere.delete(id);
    }
  }

  orderOf(broadcastId: string): number | undefined {
    return this.#records.get(broadcastId)?.order;
  }

  /** The op is being sent. */
  sending(broadcastId: string): void {
    const record = this.#records.get(broadcastId);
    if (record !== undefined) record.tries++;
  }

  /** Sends of the op so far, those lost with their connection included. */
  tries(broadcastId: string): number {
    return this.#records.get(broadcastId)?.tries ?? 0;
  }

  /** Sends of the op lost with their connection. */
  lostSends(broadcastId: string): number {
    return this.#records.get(broadcastId)?.lost ?? 0;
  }

  /** Sends of the op that count as its own failures: those not lost with their connection. */
  failures(broadcastId: string): number {
    return this.tries(broadcastId) - this.lostSends(broadcastId);
  }

  /** A send of the op was lost with its connection. */
  sendLost(broadcastId: string): void {
    const record = this.#records.get(broadcastId);
    if (record !== undefined) record.lost++;
  }

  /** Forgets any sync, in flight or waiting to be retried (the socket went, or the page was let go). */
  stopSync(): void {
    if (this.resync !== null) clearTimeout(this.resync);
    this.resync = null;
    this.syncing = false;
  }

  /** What the tabs show (pending.ts viewOf(state, ops)), kept between calls: not to be changed, nor kept across a change of the page. */
  view(): ReadonlyMap<string, LocalConversation> {
    return this.#live.read();
  }

  /** The full view, for a tab that just connected; later changes reach it as upserts and removes (push-chunks.ts). */
  snapshot(): BackgroundToContent {
    return { type: 'snapshot', pageKey: this.key, conversations: [...this.view().values()] };
  }

  /** Pushes what changed in the view since the last push to every port of the page. */
  push(ports: readonly TabPort[]): void {
    const { view, changed } = this.#live.take();
    const diff = changed === null ? diffView(this.#shown, view) : diffIds(this.#shown, view, changed);
    this.#shown = diff.shown;
    for (const message of pushMessages(diff)) for (const port of ports) port.post(message);
    if (diff.upserts.length > 0 || diff.removes.length > 0) this.viewChanged();
  }

  /** Marks the current view as what the tabs have (after sending them a full snapshot). */
  markShown(): void {
    this.#shown = diffView(new Map(), this.#live.take().view).shown;
  }
}
