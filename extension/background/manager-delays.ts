import type { Manager } from 'socket.io-client';
import { backoffDelay, type BackoffPolicy } from './backoff.js';

/**
 * What Gloss relies on in the backoff of socket.io-client's manager (`socket.io`'s `backoff`,
 * 4.8: build/esm/contrib/backo2.js). `reconnectionDelay()`, `reconnectionDelayMax()` and
 * `randomizationFactor()` write the policy into `ms`, `max` and `jitter`; the manager calls
 * `duration()` for each reconnection delay, reads `attempts` (the attempt number it reports and
 * `reconnectionAttempts` limits) and resets it to 0 once an attempt connects or the socket closes.
 */
interface ManagerBackoff {
  ms: number;
  max: number;
  jitter: number;
  attempts: number;
  duration: () => number;
}

function isManagerBackoff(value: unknown): value is ManagerBackoff {
  if (typeof value !== 'object' || value === null) return false;
  const backoff = value as Record<string, unknown>;
  return ['ms', 'max', 'jitter', 'attempts'].every((key) => typeof backoff[key] === 'number') && typeof backoff.duration === 'function';
}

/**
 * The manager's delay for its next attempt, by backoff.ts from the policy the manager holds: the
 * cap before the jitter, sound however many attempts failed (connection.ts, RECONNECT, says why).
 * It counts the attempt as the manager's own `duration` does. `this` is the manager's backoff.
 */
function glossDuration(this: ManagerBackoff): number {
  return backoffDelay({ first: this.ms, max: this.max, jitter: this.jitter }, this.attempts++);
}

/**
 * Socket.IO's reconnection set to `policy`, from its next delay on, its delays computed by
 * backoff.ts. True when they are; false when this socket.io-client keeps its backoff in another
 * shape: the manager then computes the delays itself, from the same policy, with a warning (its
 * overflow and its unspread cap are back; test/unit/background/manager-delays.test.ts fails on it).
 */
export function reconnectWith(manager: Manager, policy: BackoffPolicy): boolean {
  manager.reconnectionDelay(policy.first);
  manager.reconnectionDelayMax(policy.max);
  manager.randomizationFactor(policy.jitter);
  const backoff: unknown = (manager as unknown as { backoff?: unknown }).backoff;
  // The policy read back where it was written: the setters still feed what glossDuration reads.
  if (!isManagerBackoff(backoff) || backoff.ms !== policy.first || backoff.max !== policy.max || backoff.jitter !== policy.jitter) {
    console.warn('[gloss] socket.io-client keeps its reconnection backoff in an unknown shape: its own delays are used');
    return false;
  }
  backoff.duration = glossDuration;
  return true;
}
