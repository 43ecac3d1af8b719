/**
 * Delay before reconnect attempt `attempt` (0-based): doubling from `base`, capped, with up to 20%
 * jitter so that the tabs of a restarted worker do not all knock at once.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random, base = 250, cap = 10_000): number {
  const raw = Math.min(cap, base * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(raw * (1 - 0.2 * random()));
}
