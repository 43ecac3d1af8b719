import { afterAll, beforeAll, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { ChromeGlobal } from './support/chrome-api.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { openRealPopup } from './support/popup.js';
import { closedAtOnce, newNameClosedMidway, otherServerClosedMidway, type PopupHost } from './support/popup-save.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * The real toolbar popup closed in the middle of a save of the settings, in real Chromium: the
 * form has written the settings and has not yet written the `settingsSavedAt` stamp whose
 * `storage.onChanged` tells the worker (extension/shared/settings.ts), nor said "Saved.". What
 * still reaches the worker is the close of the form's `gloss-settings` port
 * (background/settings-port.ts); these tests fail if the worker learns of the save only from
 * something that dies with the popup.
 *
 * A popup closed at once after Enter lands anywhere in the save. Two runs of 20 such closes here
 * (Chromium 156, 2 cores) found 4 and 8 before the settings' write committed (nothing saved), 10
 * and 3 between the write and the stamp (the port's close alone told the worker), and 6 and 9 after
 * the stamp. The last test closes it so, ten times, and checks what must hold wherever it lands; it
 * fails on a lost save only when a close lands between the two. The first two tests make that
 * instant certain, by holding the stamp's write in the popup's own page (its `storage.local.set` of
 * `settingsSavedAt` is never sent, as when the page is gone before it gets there); everything else
 * is the real extension. The scenarios are support/popup-save.ts's, shared with Firefox's
 * popup-closed-mid-save-firefox.test.ts.
 */
let server: ServerProcess;
let pages: StaticServer;
let g: ChromiumWithGloss;
let other: ServerProcess;
let h: PopupHost;

useGlossSession([{ kind: 'chromium', label: 'T', name: 'Tom' }], (s) => {
  ({ server, pages } = s);
  g = s.browsers[0] as ChromiumWithGloss;
});
beforeAll(async () => {
  other = await startServerProcess();
  h = {
    g,
    server: server.url,
    other: other.url,
    open: (article) => openRealPopup(g, article),
    // Read in the worker.
    stamp: async () => {
      const worker = await g.worker();
      return worker.evaluate(async () => (await (globalThis as unknown as ChromeGlobal).chrome!.storage.local.get('settingsSavedAt')).settingsSavedAt ?? null);
    },
  };
});
afterAll(async () => {
  await other?.stop();
});

it('a new display name saved in a popup closed before "Saved." is the name the worker connects with: the reopened popup shows it, and the server lists Tom by it', async () => {
  await newNameClosedMidway(h, pages.url('article.html', 'closed-mid-save-name'), 'Tom Closed-Early');
});

it('another server saved in a popup closed before "Saved." is where the worker moves: the page goes live there and leaves the previous server', async () => {
  await otherServerClosedMidway(h, pages.url('article.html', 'closed-mid-save-server'));
});

it('a popup closed at once after Enter, again and again: each time, the worker connects with what the form left stored, the new name or, cut short before its write, the one before', async () => {
  await closedAtOnce(h, pages.url('article.html', 'closed-at-once'), (i) => `Tom, at once ${i}`, async (popup) => {
    await popup.keyboard.press('Enter');
    await popup.close();
  });
});
