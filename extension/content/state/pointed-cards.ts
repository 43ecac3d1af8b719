/**
 * The conversations whose cards are marked as under the pointer in the page (state/model.ts,
 * shownPointed), told to those cards alone. The pointer crosses highlights many times a second, and
 * at 5,000 conversations a render pass of the controller (the panel's lists, the page order, every
 * card's memo check) costs hundreds of milliseconds (docs/architecture.md, "Linked hover"): a change
 * here renders the cards it marks and unmarks, nothing else. One object for the controller's life, handed to the UI in every view state.
 */
export class PointedCards {
  #ids: ReadonlySet<string> = new Set();
  #cards = new Map<string, Set<() => void>>();

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Marks `ids`, and tells the cards whose mark changed. */
  set(ids: ReadonlySet<string>): void {
    const before = this.#ids;
    if (before === ids) return;
    this.#ids = ids;
    for (const id of before) if (!ids.has(id)) this.#tell(id);
    for (const id of ids) if (!before.has(id)) this.#tell(id);
  }

  /** `changed` is called when the card of `id` is marked or unmarked; returns the way to stop. */
  listen(id: string, changed: () => void): () => void {
    let cards = this.#cards.get(id);
    if (!cards) this.#cards.set(id, (cards = new Set()));
    cards.add(changed);
    return () => {
      cards.delete(changed);
      if (cards.size === 0 && this.#cards.get(id) === cards) this.#cards.delete(id);
    };
  }

  #tell(id: string): void {
    for (const changed of this.#cards.get(id) ?? []) changed();
  }
}
