import type { Conversation } from '../../protocol/model.js';
import type { UnseenKind } from '../../protocol/runtime.js';

/** Per conversation, the ids of its comments: what a visit began with. */
type Baseline = ReadonlyMap<string, ReadonlySet<string>>;

/** What the user had seen of a page: each conversation's comment ids (a count would miss a reply added as another was deleted). */
export function baselineOf(conversations: Readonly<Record<string, Conversation>>): Baseline {
  const seen = new Map<string, ReadonlySet<string>>();
  for (const [id, chat] of Object.entries(conversations)) seen.set(id, new Set(chat.comments.map((c) => c.id)));
  return seen;
}

/**
 * What is new to the user `selfId` in `now` against `baseline`: conversations started since by
 * someone else (`new`), and ones that got comments from someone else since (`replies`). Edits are not
 * marked: the card shows no difference to find, and a "new" badge over a fixed typo sends the reader
 * looking for nothing. The user's own are never new to them, whatever device they were made on.
 */
export function unseenSince(baseline: Baseline, now: Readonly<Record<string, Conversation>>, selfId: string | null): Map<string, UnseenKind> {
  const unseen = new Map<string, UnseenKind>();
  for (const [id, chat] of Object.entries(now)) {
    const before = baseline.get(id);
    if (before === undefined) {
      if (chat.author.id !== selfId) unseen.set(id, 'new');
    } else if (chat.comments.some((c) => !before.has(c.id) && c.author.id !== selfId)) {
      unseen.set(id, 'replies');
    }
  }
  return unseen;
}

/**
 * One visit of a page: from its first tab to its last (a Page's life, or the time its tabs are back
 * while it stayed for its outbox). It begins with the page's cached state, what the user's last visit
 * ended with (null: nothing cached, a first visit, nothing to compare with and so nothing marked); the
 * marks are made once, when the page is first in step with the server (page-sync.ts), and only lose
 * what the user opens. Changes arriving live later are not marked: they show as they come.
 *
 * In memory only, on purpose: a worker stopped mid-visit begins a new one from the cache as it finds
 * it (already holding the visit's changes, so it marks little or nothing), and the tabs that are open
 * keep the marks they were given (content/state/unseen.ts); only a tab opened after the restart sees
 * fewer. Stored, the marks of a browser closed mid-visit would come back a day later as the next
 * visit's, which no timestamp rule tells apart from a worker restart.
 */
export class Visit {
  #baseline: Baseline | null = null;
  #unseen: Map<string, UnseenKind> | null = null;

  /** A visit begins with `cached` (null: nothing cached). Marks are made again at the next `inStep`. */
  begin(cached: Readonly<Record<string, Conversation>> | null): void {
    this.#baseline = cached === null ? null : baselineOf(cached);
    this.#unseen = null;
  }

  /**
   * The page is in step with the server, holding `now`: the marks are made, the first time only.
   * True when they were made now (the page's tabs are to be told).
   */
  inStep(now: Readonly<Record<string, Conversation>>, selfId: string | null): boolean {
    if (this.#unseen !== null) return false;
    this.#unseen = this.#baseline === null ? new Map() : unseenSince(this.#baseline, now, selfId);
    this.#baseline = null;
    return true;
  }

  /** The user opened `id`: tabs connecting later in the visit do not mark it. */
  seen(id: string): void {
    this.#unseen?.delete(id);
  }

  /** The marks, once made (null before). */
  get unseen(): ReadonlyMap<string, UnseenKind> | null {
    return this.#unseen;
  }
}
