import type { KnownSelf } from './known-self.js';
import type { Settings } from '../shared/settings.js';
import type { ServerConnection } from './connection.js';
import type { Hub } from './hub.js';
import { scopeOf } from './scope.js';
import type { SignInReads } from './sign-in.js';

/** Who the worker signs in as: the saved settings and this browser's anonymous id. */
export interface SignIn {
  settings: Settings;
  id: string;
}

export interface SocketStartDeps {
  signIns: SignInReads<SignIn>;
  connection: ServerConnection;
  hub: Hub;
  /** Who the server said the user was, last time, in this scope (known-self.ts). */
  recallSelf(scope: string): Promise<KnownSelf | null>;
  /** The socket about to start signs in to this scope (for the session it brings). */
  scoped(scope: string): void;
}

/**
 * Starts the socket with the current settings, and decides what a save of the settings does to it.
 * The latest start wins. When the data kept for another server or account cannot be dropped, no
 * socket starts: its ops must not go out as this one; the next tab that connects tries again.
 */
export class SocketStarter {
  #generation = 0;
  /** Starts on their way (reading the settings, switching scope). */
  #starting = 0;

  constructor(private readonly deps: SocketStartDeps) {}

  /** (Re)starts the socket with the settings as saved now. */
  start(): Promise<void> {
    // A socket is on its way from now: a tab that opens while the settings are read (a worker woken
    // by that tab) reads `connecting`, not an `offline` it would show and announce for a moment.
    if (!this.deps.connection.open) this.deps.connection.stop({ restart: true });
    return this.#start(false);
  }

  /** No socket any more (the worker is idle, or stopped); a start on its way is called off. */
  stop(): void {
    this.#generation++;
    this.deps.connection.stop();
  }

  /**
   * The settings were saved. The socket starts over only when the handshake it made is not the one
   * the saved settings make (connection.ts `sameSignIn`): a save that changes nothing, or only the
   * display name of a token's user (the server takes the name from the token), leaves it alone, with
   * its rooms, its presence and an op in flight. An anonymous user's new name does start it over:
   * the server learns that name from the handshake only. A refused socket starts over even when
   * nothing changed, as a save is how the user says "try again" (the server may now know the token's
   * tenant); a socket that cannot reach the server retries on its own. With no socket, one starts
   * when something needs it: a tab, or an op waiting (it goes out, or is dropped by a switch of scope),
   * and in place of one on its way, which may have read the settings before this save.
   */
  async saved(): Promise<void> {
    const { signIns, connection, hub } = this.deps;
    signIns.saved();
    if (this.#starting === 0 && !connection.open && hub.rooms.size === 0 && !(await hub.hasOutbox())) return;
    await this.#start(true);
  }

  async #start(onlyIfChanged: boolean): Promise<void> {
    const { signIns, connection, hub } = this.deps;
    const mine = ++this.#generation;
    this.#starting++;
    try {
      const { settings, id } = await signIns.forSocket();
      if (mine !== this.#generation) return;
      if (onlyIfChanged && connection.sameSignIn(settings, id)) return;
      // No op of the old scope may go out on the old socket while its data is dropped. The tabs read
      // `connecting` meanwhile: a restart is no outage (ServerConnection.stop).
      connection.stop({ restart: true });
      const scope = scopeOf(settings, id);
      await hub.enterScope(scope);
      const known = await this.deps.recallSelf(scope);
      if (mine !== this.#generation) return;
      // Another scope recalls nobody: a moderator of one tenant is no moderator of the next.
      hub.self = known?.user ?? null;
      hub.role = known?.role ?? null;
      hub.announce();
      this.deps.scoped(scope);
      connection.start(settings, id);
    } catch (error) {
      console.warn('[gloss] could not start the connection:', error instanceof Error ? error.message : String(error));
    } finally {
      this.#starting--;
      // The latest start ended with no socket (it failed): the tabs read `offline`, not a `connecting` that nothing follows.
      if (mine === this.#generation && !connection.open) connection.stop();
    }
  }
}
