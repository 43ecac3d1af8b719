import type { PhaseResult } from '../driver/main.js';
import { fixed, median } from './stats.js';

/** One Gloss round and one baseline round at the same rate, run back to back in the stated order. */
export interface RoundPair {
  order: 'gloss first' | 'baseline first';
  gloss: PhaseResult;
  base: PhaseResult;
}

/**
 * The two latency-ratio targets are judged over several alternating pairs, not one.
 *
 * Why: this machine is a VM on shared cores. On the same code, one 10 s run at 500 events/s gave
 * Gloss a p99 of 3.0 to 5.7 ms and the baseline 2.4 to 2.8 ms (2026-12-02, 14 and 4 runs), and at
 * 4,000 events/s the baseline alone ranged from 4.8 to 32 ms; a single pair decided "met" or
 * "missed" by which second the host happened to be busy. Alternating the order cancels a drift in
 * the host's speed; the median ratio of five pairs is what the target rows report, and every pair is
 * shown beside it.
 */
export interface Repeats {
  rate: number;
  glossLabel: string;
  pairs: RoundPair[];
}

export interface RepeatVerdict {
  ratios: number[];
  medianRatio: number;
  medianGlossP99: number;
  medianBaseP99: number;
  lost: number;
}

export function judge(rep: Repeats): RepeatVerdict {
  const ratios = rep.pairs.map((p) => p.gloss.latencyMs.p99 / p.base.latencyMs.p99);
  return {
    ratios,
    medianRatio: median(ratios),
    medianGlossP99: median(rep.pairs.map((p) => p.gloss.latencyMs.p99)),
    medianBaseP99: median(rep.pairs.map((p) => p.base.latencyMs.p99)),
    lost: rep.pairs.reduce((n, p) => n + p.gloss.lost, 0),
  };
}

const f = (x: number, d = 2) => fixed(x, d);

export function repeatsTable(reps: Repeats[]): string[] {
  const rows = [
    '| events/s | Gloss run | pair | order | Gloss p99 ms | baseline p99 ms | ratio | Gloss CPU % | baseline CPU % | others CPU % (Gloss / baseline) |',
    '| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const rep of reps) {
    rep.pairs.forEach((p, i) => {
      rows.push(
        `| ${rep.rate} | ${rep.glossLabel} | ${i + 1} | ${p.order} | ${f(p.gloss.latencyMs.p99)} | ${f(p.base.latencyMs.p99)} | ${f(p.gloss.latencyMs.p99 / p.base.latencyMs.p99)}× | ${f(p.gloss.serverCpuPct, 1)} | ${f(p.base.serverCpuPct, 1)} | ${f(p.gloss.othersCpuPct, 1)} / ${f(p.base.othersCpuPct, 1)} |`,
      );
    });
    const v = judge(rep);
    rows.push(`| ${rep.rate} | **median** | | | ${f(v.medianGlossP99)} | ${f(v.medianBaseP99)} | **${f(v.medianRatio)}×** | | | |`);
  }
  return rows;
}
