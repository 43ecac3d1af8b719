import type { User } from '../../protocol/model.js';
import type { BackgroundToContent } from '../../protocol/runtime.js';
import { diffView, viewOf, type PendingOp } from './pending.js';
import { emptyPage, type PageState } from './reducer.js';
import type { ServerChange } from './server-schemas.js';

/** A page port as the hub sees it: where it is and how to reach it. */
export interface TabPort {
  readonly tabId: number;
  post(message: BackgroundToContent): void;
}

/**
 * One page some tab is showing: its confirmed state (mirrored to IndexedDB), the operations in
 * flight, and what its tabs were last sent. Lives while a port of the page is open or an op is
 * pending; rebuilt from the cache and the server after a worker restart.
 */
export class Page {
  state: PageState;
  ops: PendingOp[] = [];
  presence: { viewers: number; users: User[] } | null = null;
  /** `joined` once the server answered page:join on the current socket. */
  status: 'idle' | 'joining' | 'joined' = 'idle';
  syncing = false;
  /** Server events that came while a join or sync was in flight, applied after its answer. */
  buffer: ServerChange[] = [];
  /** Ops waiting for the join to complete before they are sent. */
  unsent: PendingOp[] = [];
  readonly loaded: Promise<void>;
  #shown = new Map<string, string>();

  constructor(
    readonly key: string,
    /** The address sent to the server (see messages.ts wireUrl). */
    readonly url: string,
    load: (pageKey: string) => Promise<PageState | null>,
  ) {
    this.state = emptyPage(key);
    this.loaded = load(key).then((cached) => {
      if (cached !== null && this.state.seq === null && Object.keys(this.state.conversations).length === 0) this.state = cached;
    });
  }

  view() {
    return viewOf(this.state, this.ops);
  }

  /** The full view, for a tab that just connected; later changes reach it as upserts and removes. */
  snapshot(): BackgroundToContent {
    return { type: 'snapshot', pageKey: this.key, conversations: [...this.view().values()] };
  }

  /** Pushes what changed in the view since the last push to every port of the page. */
  push(ports: readonly TabPort[]): void {
    const diff = diffView(this.#shown, this.view());
    this.#shown = diff.shown;
    for (const conversation of diff.upserts) for (const port of ports) port.post({ type: 'upsert', conversation });
    for (const id of diff.removes) for (const port of ports) port.post({ type: 'remove', id });
  }

  /** Marks the current view as what the tabs have (after sending them a full snapshot). */
  markShown(): void {
    this.#shown = diffView(new Map(), this.view()).shown;
  }
}
