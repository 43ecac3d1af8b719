/**
 * A small seeded PRNG (mulberry32): a failing test can be replayed from its printed seed, and a
 * benchmark picks the same quotes on every run. Pure, so the anchoring bench bundles it into its page.
 */
export function seeded(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(list: readonly T[]): T | undefined => list[Math.floor(next() * list.length)] };
}
