import fs from 'node:fs';

/**
 * Reads a CPU profile of the extension's service worker (page-scale.ts with SCALE_WORKER_PROFILE)
 * and prints how long it was busy (every sample but `(idle)`), the garbage collector's part, and the
 * time spent under each function named on the command line (a sample counts once for a function
 * however deep it is in the stack): `npx tsx bench/e2e/worker-profile.ts <file.cpuprofile> [names…]`,
 * names by default writePage, takeUnsaved, readPage.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, ...rest] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: worker-profile.ts <file.cpuprofile> [function names…]');
const names = rest.length > 0 ? rest : ['writePage', 'takeUnsaved', 'readPage'];
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const stackNames = (id: number): Set<string> => {
  const out = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) out.add(byId.get(at)!.callFrame.functionName);
  return out;
};
const cache = new Map<number, Set<string>>();
let total = 0;
let idle = 0;
let gc = 0;
const under = new Map(names.map((n) => [n, 0]));
profile.samples.forEach((id, i) => {
  // A sample lasts until the next one.
  const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  total += ms;
  const own = byId.get(id)!.callFrame.functionName;
  if (own === '(idle)') idle += ms;
  if (own === '(garbage collector)') gc += ms;
  let stack = cache.get(id);
  if (stack === undefined) cache.set(id, (stack = stackNames(id)));
  for (const name of names) if (stack.has(name)) under.set(name, under.get(name)! + ms);
});
const busy = total - idle;
const s = (ms: number) => (ms / 1000).toFixed(3);
console.log(`${file}: ${s(total)} s profiled, busy ${s(busy)} s (gc ${s(gc)} s)${names.map((n) => `, ${n} ${s(under.get(n)!)} s (${((100 * under.get(n)!) / busy).toFixed(0)} %)`).join('')}`);
