import * as v from 'valibot';
import { Role, User } from '../../protocol/model.js';

/**
 * Who the server last said the user is (its `session`), kept with the scope (scope.ts) of the
 * settings it was for. A worker starts without a session: after a browser restart, or when the
 * browser stopped its idle background, and then perhaps with no network. Until the server answers,
 * the user is the one recalled here, so their own comments stay theirs to edit and delete, and what
 * they write offline is shown as theirs, not as nobody's. Another scope recalls nobody.
 * The role comes with the user (a moderator's panel offers Delete on anyone's items, and keeps doing
 * so after the worker restarts); a record written before roles were kept recalls no role (a member's panel).
 */
export interface SelfStore {
  read(): Promise<unknown>;
  write(value: unknown): Promise<void>;
}

export interface KnownSelf {
  user: User;
  role: Role | null;
}

const Known = v.object({ scope: v.string(), user: User, role: v.optional(v.nullable(Role), null) });

export async function recallSelf(store: SelfStore, scope: string): Promise<KnownSelf | null> {
  try {
    const known = v.safeParse(Known, await store.read());
    return known.success && known.output.scope === scope ? { user: known.output.user, role: known.output.role } : null;
  } catch {
    return null;
  }
}

export async function rememberSelf(store: SelfStore, scope: string, known: KnownSelf): Promise<void> {
  try {
    await store.write({ scope, user: known.user, role: known.role });
  } catch (error) {
    console.warn('[gloss] could not remember who the user is:', error instanceof Error ? error.message : String(error));
  }
}
