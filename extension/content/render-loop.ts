/**
 * Batches renders to one pass per task: a burst of messages (a snapshot and its upserts, a page
 * rebuilding itself) costs one anchoring pass and one render, not one per event. `schedule(true)`
 * asks that pass to anchor every conversation again (the page's DOM changed). Nothing runs once
 * `signal` is aborted.
 *
 * Right after a pass that took `slowMs` or more (a page with thousands of conversations), the next
 * one waits for the tasks already queued (a timer, not a microtask): each port message is its own
 * task (40 a second on a busy page; a join's few `changes` messages, background/push-chunks.ts, and
 * before those one message per conversation), and one pass per message made loading 1,000
 * conversations cost 1,000 passes of O(N) work (8.4 s on the 528 KB page of docs/benchmarks.md,
 * section 8; 5,000 did not finish in two minutes). The messages that queued up during the slow pass
 * now share the next one. Cheap passes (every ordinary page), and a change long after a slow pass,
 * render on the microtask as before.
 */
export function renderLoop(
  signal: AbortSignal,
  flush: (reanchorAll: boolean) => void,
  options: { slowMs?: number; now?: () => number } = {},
): (fullReanchor?: boolean) => void {
  const slowMs = options.slowMs ?? 8;
  const now = options.now ?? (() => performance.now());
  let scheduled = false;
  let reanchorAll = false;
  /** When the last pass ended and how long it took: a change within that long of it yields first. */
  let lastEnd = -Infinity;
  let lastCost = 0;

  const run = () => {
    scheduled = false;
    if (signal.aborted) return;
    const all = reanchorAll;
    reanchorAll = false;
    const start = now();
    try {
      flush(all);
    } finally {
      lastEnd = now();
      lastCost = lastEnd - start;
    }
  };

  return (fullReanchor = false) => {
    reanchorAll ||= fullReanchor;
    if (scheduled || signal.aborted) return;
    scheduled = true;
    if (lastCost >= slowMs && now() - lastEnd < lastCost) setTimeout(run, 0);
    else queueMicrotask(run);
  };
}

/**
 * Runs `step` in tasks of its own, one after the other, while it says `more`, and `changed` after
 * each that changed something: the slices of a long piece of work (locating thousands of
 * conversations, highlighter/sliced-anchoring.ts) with the page's own tasks, and the port's
 * messages, free to run between them. The returned function starts the chain unless it is running.
 */
export function inSlices(signal: AbortSignal, step: () => { more: boolean; changed: boolean }, changed: () => void): () => void {
  let queued = false;
  const run = () => {
    queued = false;
    if (signal.aborted) return;
    const slice = step();
    if (slice.more) kick();
    if (slice.changed) changed();
  };
  const kick = () => {
    if (queued || signal.aborted) return;
    queued = true;
    setTimeout(run, 0);
  };
  return kick;
}
