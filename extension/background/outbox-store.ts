import { OUTBOX, openGlossDb } from './db.js';
import { encodeOutboxRow, keyOf, readBack, type OutboxRow } from './outbox-codec.js';
import type { PendingOp } from './pending.js';

/**
 * The outbox in IndexedDB: one row per operation not yet confirmed, written when a tab makes it and
 * deleted when the server confirms or refuses it. Kept thin: the checks are in outbox-codec.ts.
 * Writes are issued in order on one connection, so IndexedDB applies them in that order.
 */
function warn(what: string, error: unknown): void {
  console.warn(`[gloss] could not ${what} the outbox:`, error instanceof Error ? error.message : String(error));
}

export async function readOutbox(): Promise<OutboxRow[]> {
  try {
    const database = await openGlossDb();
    const { rows, dropped } = readBack(await database.getAll(OUTBOX));
    if (dropped.length > 0) {
      console.warn(`[gloss] dropped ${dropped.length} unreadable outbox row(s)`);
      for (const raw of dropped) {
        const key = keyOf(raw);
        if (key !== null) await database.delete(OUTBOX, key);
      }
    }
    return rows;
  } catch (error) {
    warn('read', error);
    return [];
  }
}

export async function putOutbox(op: PendingOp, order: number): Promise<void> {
  try {
    await (await openGlossDb()).put(OUTBOX, encodeOutboxRow(op, order));
  } catch (error) {
    warn('write', error);
  }
}

export async function deleteOutbox(broadcastId: string): Promise<void> {
  try {
    await (await openGlossDb()).delete(OUTBOX, broadcastId);
  } catch (error) {
    warn('update', error);
  }
}
