import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelay } from '../../../extension/background/backoff.js';

/** The busy retry's policy (connection.ts): 5 s doubling to 30 s, ±50 %. */
const busy = { first: 5_000, max: 30_000, jitter: 0.5 };
const fixed = (value: number) => () => value;

describe('backoffDelay', () => {
  it('doubles from `first` up to `max`; a random of 0.5 leaves each delay unmoved', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffDelay(busy, n, fixed(0.5)))).toEqual([5_000, 10_000, 20_000, 30_000, 30_000, 30_000]);
  });

  it('moves each delay by up to ±jitter, after the cap: delays at the cap stay spread over 15-45 s', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(busy, n, fixed(0)))).toEqual([2_500, 5_000, 10_000, 15_000]);
    expect([0, 1, 2, 3].map((n) => backoffDelay(busy, n, fixed(0.75)))).toEqual([6_250, 12_500, 25_000, 37_500]);
    expect(backoffDelay(busy, 50, fixed(0.999))).toBeCloseTo(44_970, 6);
  });

  it('with no jitter the random source changes nothing', () => {
    const plain = { first: 500, max: 30_000, jitter: 0 };
    expect([0, 3, 6, 7].map((n) => backoffDelay(plain, n, fixed(0.9)))).toEqual([500, 4_000, 30_000, 30_000]);
  });

  it('stays at the cap however many attempts failed, past 2^attempt overflowing: no NaN, no 0 (a day of retries every 30 s is ~2,900)', () => {
    for (const n of [1_023, 1_024, 1_100, 100_000, Number.MAX_SAFE_INTEGER]) {
      expect(backoffDelay(busy, n, fixed(0))).toBe(15_000);
      expect(backoffDelay(busy, n, fixed(0.5))).toBe(30_000);
    }
  });
});

describe('Backoff', () => {
  it('counts the attempts itself, and starts over from `first` once reset', () => {
    const backoff = new Backoff(busy, fixed(0.5));
    expect([backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()]).toEqual([5_000, 10_000, 20_000, 30_000, 30_000]);
    backoff.reset();
    expect([backoff.next(), backoff.next()]).toEqual([5_000, 10_000]);
  });

  it('draws a new random number for each delay', () => {
    const draws = [0, 0.5, 0.75];
    const backoff = new Backoff(busy, () => draws.shift()!);
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([2_500, 10_000, 25_000]);
  });
});
