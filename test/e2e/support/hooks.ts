import { afterEach } from 'vitest';
import type { GlossBrowser } from './gloss-browser.js';

/**
 * After a failed test, prints the console of every browser the file launched (worker, pages, popup):
 * what the extension logged is usually the explanation.
 */
export function printLogsOnFailure(browsers: () => (GlossBrowser | undefined)[]): void {
  afterEach((ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    for (const b of browsers()) if (b) console.log(`---- console of ${b.log.label} (${b.kind}) ----\n${b.log.tail(80)}`);
  });
}
