/**
 * Batches renders to one pass per task: a burst of messages (a snapshot and its upserts, a page
 * rebuilding itself) costs one anchoring pass and one render, not one per event. `schedule(true)`
 * asks that pass to anchor every conversation again (the page's DOM changed). Nothing runs once
 * `signal` is aborted.
 */
export function renderLoop(signal: AbortSignal, flush: (reanchorAll: boolean) => void): (fullReanchor?: boolean) => void {
  let scheduled = false;
  let reanchorAll = false;

  const run = () => {
    scheduled = false;
    if (signal.aborted) return;
    const all = reanchorAll;
    reanchorAll = false;
    flush(all);
  };

  return (fullReanchor = false) => {
    reanchorAll ||= fullReanchor;
    if (scheduled || signal.aborted) return;
    scheduled = true;
    queueMicrotask(run);
  };
}
