import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/**
 * Opt-in (`GLOSS_BENCH_STATS=1`) figures for the benchmark: event-loop delay since the last reset,
 * process CPU and memory. Off by default: the histogram samples the loop, which costs a little, and
 * nothing but a benchmark has a use for it.
 */
export interface BenchStats {
  /** `GET /debug/stats`; `?reset=1` starts a new measurement window after answering. */
  answer(reset: boolean): Record<string, unknown>;
}

/** The sampling timer's period. The histogram holds whole intervals between its runs; the delay is what exceeds the period. */
const RESOLUTION_MS = 5;
const ms = (ns: number) => Math.max(0, Math.round(ns / 1e4) / 100 - RESOLUTION_MS);

export function createBenchStats(): BenchStats {
  const histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let since = Date.now();
  return {
    answer(reset) {
      const mem = process.memoryUsage();
      const body = {
        windowMs: Date.now() - since,
        eventLoopDelayMs: {
          samples: histogram.count,
          p50: ms(histogram.percentile(50)),
          p99: ms(histogram.percentile(99)),
          max: ms(histogram.max),
          mean: Number.isNaN(histogram.mean) ? 0 : ms(histogram.mean),
        },
        cpu: process.cpuUsage(),
        rss: mem.rss,
        heapUsed: mem.heapUsed,
        external: mem.external,
      };
      if (reset) {
        histogram.reset();
        since = Date.now();
      }
      return body;
    },
  };
}
