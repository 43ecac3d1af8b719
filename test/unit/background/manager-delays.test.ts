import { io, type Socket } from 'socket.io-client';
import { afterEach, expect, it, vi } from 'vitest';
import { AFTER_DROP, PROBE } from '../../../extension/background/connection.js';
import type { BackoffPolicy } from '../../../extension/background/backoff.js';
import { reconnectWith } from '../../../extension/background/manager-delays.js';

/**
 * The reconnection delays of socket.io-client's real Manager once Gloss has wired it
 * (manager-delays.ts). No server: the socket never connects; the manager's backoff is driven as
 * its `reconnect()` drives it, one `duration()` per failed attempt, `reset()` on success.
 */

/** The manager's backoff as its `reconnect()` and `onreconnect()` use it (socket.io-client 4.8). */
interface DrivenBackoff {
  duration(): number;
  reset(): void;
  attempts: number;
}

const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
  vi.restoreAllMocks();
});

/** A socket as ServerConnection.start makes one, but not connecting. */
function wired(policy: BackoffPolicy): { socket: Socket; backoff: DrivenBackoff; installed: boolean } {
  const socket = io('http://127.0.0.1:9', { transports: ['websocket'], forceNew: true, reconnection: true, autoConnect: false });
  sockets.push(socket);
  const installed = reconnectWith(socket.io, policy);
  return { socket, backoff: (socket.io as unknown as { backoff: DrivenBackoff }).backoff, installed };
}

/** The policy's delay before attempt `attempt` with no jitter: `first` doubling, capped at `max`. */
const unmoved = (policy: BackoffPolicy, attempt: number) => Math.min(policy.max, policy.first * 2 ** attempt);

it('every delay of 2,500 failed attempts (20 hours at the cap) is within the policy, never 0 or NaN, and those at the cap are spread over 15-45 s', () => {
  const { backoff, installed } = wired(AFTER_DROP);
  // Fails when socket.io-client keeps its backoff in another shape: Gloss's delays would be off.
  expect(installed).toBe(true);
  const delays = Array.from({ length: 2_500 }, () => backoff.duration());

  const outside = delays
    .map((delay, attempt) => ({ attempt, delay }))
    .filter(({ attempt, delay }) => !(delay >= unmoved(AFTER_DROP, attempt) * (1 - AFTER_DROP.jitter) && delay <= unmoved(AFTER_DROP, attempt) * (1 + AFTER_DROP.jitter)));
  expect(outside.slice(0, 5)).toEqual([]);
  expect(delays.filter((delay) => delay === 0 || Number.isNaN(delay))).toEqual([]);
  // The manager's own count of attempts goes on (it reports it, and reconnectionAttempts bounds it).
  expect(backoff.attempts).toBe(2_500);

  // From the 7th attempt on (0.5 s × 2^6 = 32 s) the cap: 30 s ±50 %, spread, not all at 30 s.
  const atCap = delays.slice(6);
  expect(Math.min(...atCap)).toBeLessThan(20_000);
  expect(Math.max(...atCap)).toBeGreaterThan(40_000);
  expect(atCap.filter((delay) => delay === AFTER_DROP.max).length).toBeLessThan(atCap.length / 100);
  // Past the overflow of 2^attempts (attempt 1,016 of Socket.IO's own) just the same.
  const late = delays.slice(1_100);
  expect(late.filter((delay) => delay < 20_000).length).toBeGreaterThan(late.length / 10);
  expect(late.filter((delay) => delay > 40_000).length).toBeGreaterThan(late.length / 10);
});

it('once an attempt connects (the manager resets its backoff) the delays start over from 0.5 s', () => {
  const { backoff } = wired(AFTER_DROP);
  for (let i = 0; i < 1_500; i++) backoff.duration();
  backoff.reset();
  const delays = [backoff.duration(), backoff.duration(), backoff.duration()];
  delays.forEach((delay, attempt) => {
    expect(delay).toBeGreaterThanOrEqual(unmoved(AFTER_DROP, attempt) * 0.5);
    expect(delay).toBeLessThanOrEqual(unmoved(AFTER_DROP, attempt) * 1.5);
  });
});

it('the policy handed over later is the one the next delays follow: the offline probe, 15-45 s from its first delay, then back', () => {
  const { socket, backoff } = wired(AFTER_DROP);
  expect(reconnectWith(socket.io, PROBE)).toBe(true);
  const probe = Array.from({ length: 200 }, () => backoff.duration());
  expect(probe.filter((delay) => !(delay >= 15_000 && delay <= 45_000))).toEqual([]);
  expect(Math.min(...probe)).toBeLessThan(20_000);

  backoff.reset();
  expect(reconnectWith(socket.io, AFTER_DROP)).toBe(true);
  const first = backoff.duration();
  expect(first).toBeGreaterThanOrEqual(250);
  expect(first).toBeLessThanOrEqual(750);
});

it('a manager whose backoff has another shape keeps its own delays, with the policy still set, and a warning', () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const socket = io('http://127.0.0.1:9', { forceNew: true, autoConnect: false });
  sockets.push(socket);
  // Say a later socket.io-client renamed `ms` to `min`: its setters and duration() go along.
  const changed = {
    min: 1_000, max: 5_000, jitter: 0.5, attempts: 0,
    setMin(min: number) { this.min = min; },
    setMax(max: number) { this.max = max; },
    setJitter(jitter: number) { this.jitter = jitter; },
    duration() { return Math.min(this.max, this.min * 2 ** this.attempts++); },
    reset() { this.attempts = 0; },
  };
  (socket.io as unknown as { backoff: unknown }).backoff = changed;

  expect(reconnectWith(socket.io, AFTER_DROP)).toBe(false);
  expect(changed.duration()).toBe(500);
  expect([socket.io.reconnectionDelay(), socket.io.reconnectionDelayMax(), socket.io.randomizationFactor()]).toEqual([500, 30_000, 0.5]);
  expect(warn).toHaveBeenCalledOnce();
});
