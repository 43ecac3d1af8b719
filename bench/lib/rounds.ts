import type { PhaseResult } from '../driver/main.js';
import { fixed, median } from './stats.js';

/** One Gloss round and one baseline round at the same rate, run back to back in the stated order. */
export interface RoundPair {
  order: 'gloss first' | 'baseline first';
  gloss: PhaseResult;
  base: PhaseResult;
  /**
   * Plain Socket.IO (bench/baseline/socketio-relay.ts) at the same rate, run next to Gloss on the
   * other side from the baseline; a reference for reading the ratio, not part of the verdict.
   */
  ref?: PhaseResult;
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
  /** Plain Socket.IO's p99 over the baseline's, for the pairs that ran it. */
  refRatios: number[];
}

export function judge(rep: Repeats): RepeatVerdict {
  const ratios = rep.pairs.map((p) => p.gloss.latencyMs.p99 / p.base.latencyMs.p99);
  return {
    ratios,
    medianRatio: median(ratios),
    medianGlossP99: median(rep.pairs.map((p) => p.gloss.latencyMs.p99)),
    medianBaseP99: median(rep.pairs.map((p) => p.base.latencyMs.p99)),
    lost: rep.pairs.reduce((n, p) => n + p.gloss.lost, 0),
    refRatios: rep.pairs.flatMap((p) => (p.ref ? [p.ref.latencyMs.p99 / p.base.latencyMs.p99] : [])),
  };
}

const f = (x: number, d = 2) => fixed(x, d);

/** Plain Socket.IO's p99, its ratio to the baseline and its CPU, or blanks for a pair without it. */
function refCells(p: RoundPair): string {
  return p.ref ? `${f(p.ref.latencyMs.p99)} | ${f(p.ref.latencyMs.p99 / p.base.latencyMs.p99)}× | ${f(p.ref.serverCpuPct, 1)}` : ' | | ';
}

export function repeatsTable(reps: Repeats[]): string[] {
  const withRef = reps.some((rep) => rep.pairs.some((p) => p.ref));
  const rows = [
    `| events/s | Gloss run | pair | order | Gloss p99 ms | baseline p99 ms | ratio | Gloss CPU % | baseline CPU % | others CPU % (Gloss / baseline) |${withRef ? ' plain Socket.IO p99 ms | its ratio | its CPU % |' : ''}`,
    `| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |${withRef ? ' ---: | ---: | ---: |' : ''}`,
  ];
  for (const rep of reps) {
    rep.pairs.forEach((p, i) => {
      rows.push(
        `| ${rep.rate} | ${rep.glossLabel} | ${i + 1} | ${p.order} | ${f(p.gloss.latencyMs.p99)} | ${f(p.base.latencyMs.p99)} | ${f(p.gloss.latencyMs.p99 / p.base.latencyMs.p99)}× | ${f(p.gloss.serverCpuPct, 1)} | ${f(p.base.serverCpuPct, 1)} | ${f(p.gloss.othersCpuPct, 1)} / ${f(p.base.othersCpuPct, 1)} |${withRef ? ` ${refCells(p)} |` : ''}`,
      );
    });
    const v = judge(rep);
    const refP99 = rep.pairs.flatMap((p) => (p.ref ? [p.ref.latencyMs.p99] : []));
    const refMedian = withRef ? (refP99.length > 0 ? ` ${f(median(refP99))} | **${f(median(v.refRatios))}×** | |` : ' | | |') : '';
    rows.push(`| ${rep.rate} | **median** | | | ${f(v.medianGlossP99)} | ${f(v.medianBaseP99)} | **${f(v.medianRatio)}×** | | | |${refMedian}`);
  }
  return rows;
}
