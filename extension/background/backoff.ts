/** A retry schedule: `first` (ms), doubling up to `max`, each delay then moved by up to ±`jitter` (a fraction of it). */
export interface BackoffPolicy {
  readonly first: number;
  readonly max: number;
  readonly jitter: number;
}

/**
 * The wait before retry `attempt` (0 for the first) under `policy`; `random` is in [0, 1): 0 gives
 * the shortest, 0.5 the unmoved delay. The jitter comes after the cap, so delays at the cap stay
 * spread (30 s ±50 %: 15-45 s) and clients that failed together do not come back together. That
 * order also keeps the delay sound however many attempts failed: past 1,023 of them 2^attempt is
 * Infinity, which the cap turns into `max` (jittered after it, nothing becomes NaN or 0).
 */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const capped = Math.min(policy.max, policy.first * 2 ** attempt);
  return capped * (1 + policy.jitter * (2 * random() - 1));
}

/** Retries one after another under `policy`: `next()` is the wait before the next one; `reset()` once one got through. */
export class Backoff {
  #attempt = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    return backoffDelay(this.policy, this.#attempt++, this.random);
  }

  reset(): void {
    this.#attempt = 0;
  }
}
