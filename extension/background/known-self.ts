import * as v from 'valibot';
import { User } from '../../protocol/model.js';

/**
 * Who the server last said the user is (its `session`), kept with the scope (scope.ts) of the
 * settings it was for. A worker starts without a session: after a browser restart, or when the
 * browser stopped its idle background, and then perhaps with no network. Until the server answers,
 * the user is the one recalled here, so their own comments stay theirs to edit and delete, and what
 * they write offline is shown as theirs, not as nobody's. Another scope recalls nobody.
 */
export interface SelfStore {
  read(): Promise<unknown>;
  write(value: unknown): Promise<void>;
}

const Known = v.object({ scope: v.string(), user: User });

export async function recallSelf(store: SelfStore, scope: string): Promise<User | null> {
  try {
    const known = v.safeParse(Known, await store.read());
    return known.success && known.output.scope === scope ? known.output.user : null;
  } catch {
    return null;
  }
}

export async function rememberSelf(store: SelfStore, scope: string, user: User): Promise<void> {
  try {
    await store.write({ scope, user });
  } catch (error) {
    console.warn('[gloss] could not remember who the user is:', error instanceof Error ? error.message : String(error));
  }
}
