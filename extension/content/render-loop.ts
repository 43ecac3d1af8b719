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
 *
 * What comes from elsewhere than the reader (`schedule(all, true)`: the port's messages, the page's
 * own changes) waits longer within `busyMs` (a second) of a slow
 * pass whose cycle (below) took `lateMs` (50 ms, a long task: at 5,000 conversations with the panel
 * rendering 100 cards, cycles of 60–100 ms kept the main thread 90 % busy in a burst) or more, on a page that holds many conversations (`crowded`: the controller says 1,000 or
 * more; fewer never made frames that slow, and a page with a few renders as it always did, whatever
 * the machine's load). Each pass that changes the page costs the browser a frame of its own, and at 5,000
 * conversations that frame (layout, the highlights' markers, pre-paint, paint) took 120–460 ms,
 * several times the pass (docs/benchmarks.md, change 36). Chromium runs a late frame before other
 * tasks, so the messages of a burst (40 creates a second) got in one to three between two frames:
 * each pass and frame carried three creates, and the tab fell 4.6–33 s behind. Such a pass now
 * starts no sooner than `share` times its last cycle (that pass and the browser's frame after it, up
 * to the next task), and no later than `busyMs`, after the last one started, leaving the rest of the main thread to the page and
 * the messages, which all join it; and it runs in an animation frame (`frame`; the controller gives
 * `nextFrame`), right before the browser lays out and paints what it changed. What the reader does
 * (a click, a key, a selection) is never held back that way: it renders as above, and takes along
 * whatever waits.
 */
export function renderLoop(
  signal: AbortSignal,
  flush: (reanchorAll: boolean) => void,
  options: { slowMs?: number; busyMs?: number; lateMs?: number; share?: number; crowded?: () => boolean; now?: () => number; frame?: (run: () => void) => void } = {},
): (fullReanchor?: boolean, background?: boolean) => void {
  const slowMs = options.slowMs ?? 8;
  const busyMs = options.busyMs ?? 1000;
  const lateMs = options.lateMs ?? 50;
  const crowded = options.crowded ?? (() => true);
  const share = options.share ?? 2;
  const now = options.now ?? (() => performance.now());
  const frame = options.frame ?? ((run: () => void) => void setTimeout(run, 0));
  /** The pass asked for: soon (a microtask or the next task), later (spaced, in a frame), or none. */
  let pending: 'soon' | 'later' | null = null;
  /** Which request is current: a pass asked soon replaces one asked for later, whose timers then do nothing. */
  let request = 0;
  let reanchorAll = false;
  /** When the last pass started and ended, and how long it took. */
  let lastStart = -Infinity;
  let lastEnd = -Infinity;
  let lastCost = 0;
  /** The last pass with the browser's work after it: from its start to the first task after it (`measuring` until then). */
  let lastCycle = 0;
  let measuring = false;
  const measured = () => {
    if (measuring) lastCycle = Math.max(lastCycle, now() - lastStart);
    measuring = false;
  };

  const run = (asked: number) => {
    if (asked !== request) return;
    pending = null;
    if (signal.aborted) return;
    const all = reanchorAll;
    reanchorAll = false;
    const start = now();
    try {
      flush(all);
    } finally {
      lastStart = start;
      lastEnd = now();
      lastCost = lastCycle = lastEnd - start;
      // The frame that paints what the pass changed runs before the next task (in the same task when
      // the pass ran in an animation frame): the first of this timer and a message ends the cycle.
      measuring = lastCost >= slowMs;
      if (measuring)
        setTimeout(() => {
          if (lastStart === start) measured();
        }, 0);
    }
  };

  const soon = () => {
    pending = 'soon';
    const asked = ++request;
    if (lastCost >= slowMs && now() - lastEnd < lastCost) setTimeout(() => run(asked), 0);
    else queueMicrotask(() => run(asked));
  };
  // Never more than `busyMs` after the last pass started: one slow pass of the reader's (the panel's
  // first render of 5,000 cards, over a second) must not hold the next peer's change back as long again.
  const untilDue = () => lastStart + Math.min(share * lastCycle, busyMs) - now();
  const later = (asked: number) => {
    if (asked !== request || signal.aborted) return;
    const wait = untilDue();
    if (wait > 0) setTimeout(() => later(asked), wait);
    else frame(() => run(asked));
  };

  return (fullReanchor = false, background = false) => {
    reanchorAll ||= fullReanchor;
    if (signal.aborted || pending === 'soon' || (pending === 'later' && background)) return;
    if (background) measured();
    if (background && lastCost >= slowMs && lastCycle >= lateMs && now() - lastEnd < Math.max(lastCost, busyMs) && crowded()) {
      pending = 'later';
      const asked = ++request;
      setTimeout(() => later(asked), Math.max(0, untilDue()));
    } else soon();
  };
}

/**
 * Runs `run` once, in the window's next animation frame: right before the browser lays out and
 * paints, with every task queued before the frame (the port's messages) run first. A hidden tab
 * gets no frames until it is shown (and a window without rendering, jsdom, none at all), so there a
 * timer runs it at once; and should no frame come within `guardMs` (a tab hidden meanwhile), the
 * timer runs it then.
 */
export function nextFrame(win: Window, guardMs = 250): (run: () => void) => void {
  return (run) => {
    const frames = typeof win.requestAnimationFrame === 'function';
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      if (frames) win.cancelAnimationFrame(id);
      clearTimeout(timer);
      run();
    };
    const timer = setTimeout(go, !frames || win.document.visibilityState === 'hidden' ? 0 : guardMs);
    const id = frames ? win.requestAnimationFrame(go) : 0;
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
