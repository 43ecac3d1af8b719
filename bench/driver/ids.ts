import crypto from 'node:crypto';

// Ten random hex digits drawn once per driver process: ids of two driver runs never meet.
const PROCESS_TAG = crypto.randomBytes(5).toString('hex');
let counter = 0;

/**
 * A UUID version 7 for each create the driver sends: 48 bits of milliseconds, then this process's
 * tag and a counter instead of fresh random bits. Why: `uuidv7()` of protocol/ids.ts draws 16
 * random bytes per id (a `randomFillSync` call) and formats them byte by byte, which was 6.8 % of
 * the driver's busy time at 4,000 events/s (docs/benchmarks.md, change 30); the driver needs ids
 * that are unique and time-ordered, as the extension's are, not unpredictable ones.
 */
export function driverId(now: number = Date.now()): string {
  const t = now.toString(16).padStart(12, '0');
  const c = (counter++ >>> 0).toString(16).padStart(8, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}-7${PROCESS_TAG.slice(0, 3)}-8${PROCESS_TAG.slice(3, 6)}-${PROCESS_TAG.slice(6)}${c}`;
}
