/**
 * Who the worker signs in as (the saved settings and the anonymous id) is read once when it starts:
 * the Hub checks the stored data against it (`atStart`) and the first socket signs in with it. A save
 * of the settings makes that read stale (`saved`); every later socket reads them again.
 */
export class SignInReads<T> {
  readonly atStart: Promise<T>;
  #unused: Promise<T> | null;

  constructor(private readonly read: () => Promise<T>) {
    this.atStart = read();
    this.#unused = this.atStart;
  }

  /** For a socket about to start: the read made at start if no socket used it and no save came since. */
  forSocket(): Promise<T> {
    const read = this.#unused ?? this.read();
    this.#unused = null;
    return read;
  }

  /** The settings were saved: what was read before no longer holds. */
  saved(): void {
    this.#unused = null;
  }
}
