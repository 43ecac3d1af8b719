/**
 * Which open ports look at which page, so that the worker joins a page's room when the first tab of
 * it connects and leaves when the last one goes. Pure bookkeeping: the caller does the joining.
 * After a worker restart it is rebuilt from the ports that reconnect, so nothing here is persisted.
 */
export class Rooms<Port> {
  readonly #pageOf = new Map<Port, string>();
  readonly #ports = new Map<string, Set<Port>>();

  /** Registers `port` on `pageKey`; true when it is the page's first port (time to join). */
  add(port: Port, pageKey: string): boolean {
    const previous = this.#pageOf.get(port);
    if (previous === pageKey) return false;
    if (previous !== undefined) throw new Error('a port belongs to one page for its whole life');
    this.#pageOf.set(port, pageKey);
    let set = this.#ports.get(pageKey);
    const first = set === undefined;
    if (set === undefined) {
      set = new Set();
      this.#ports.set(pageKey, set);
    }
    set.add(port);
    return first;
  }

  /** Forgets `port`; `last` is true when no port of its page is left (time to leave). */
  remove(port: Port): { pageKey: string; last: boolean } | null {
    const pageKey = this.#pageOf.get(port);
    if (pageKey === undefined) return null;
    this.#pageOf.delete(port);
    const set = this.#ports.get(pageKey);
    set?.delete(port);
    const last = set === undefined || set.size === 0;
    if (last) this.#ports.delete(pageKey);
    return { pageKey, last };
  }

  pageOf(port: Port): string | undefined {
    return this.#pageOf.get(port);
  }

  ports(pageKey: string): Port[] {
    return [...(this.#ports.get(pageKey) ?? [])];
  }

  /** Pages with at least one open port, to re-join after the socket reconnects. */
  pages(): string[] {
    return [...this.#ports.keys()];
  }

  has(pageKey: string): boolean {
    return this.#ports.has(pageKey);
  }

  get size(): number {
    return this.#pageOf.size;
  }
}
