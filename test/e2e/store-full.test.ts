import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, conversationsOnServer, request, typicalChat, type TestSocket } from '../support/clients.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { byTestId, clickUi, conversationIds, createConversation, inUi, openPanel, selectText, typeInUi, waitForHighlights, waitForUiText, waitInUi, WAIT_MS } from './support/gloss-ui.js';
import { deleteConversation, waitForConnection } from './support/faults-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

/**
 * What a user sees of a full server (GLOSS_DB_MAX_MB), in real Chromium: a 1 MiB database is filled
 * for real by a socket.io-client writing creates through the real server until SQLite refuses
 * (`store_full`). Then Alice, in her browser, starts a conversation: the refusal is shown in an
 * alert, her words are back in the composer (not lost with the refused conversation), the composer
 * still works, and Bob, viewing the same page in his browser, never sees it. Deleting still goes
 * through at the limit: Alice deletes a conversation and it vanishes from Bob's panel.
 */
let server: ServerProcess | undefined;
let pages: StaticServer | undefined;
let alice: ChromiumWithGloss | undefined;
let bob: ChromiumWithGloss | undefined;
let filler: TestSocket | undefined;
printLogsOnFailure(() => [alice, bob]);

beforeAll(async () => {
  // The filler writes ~100 operations in a burst: the rate limit is raised for it.
  server = await startServerProcess({ env: { GLOSS_DB_MAX_MB: '1', GLOSS_RATE_PER_SECOND: '10000', GLOSS_RATE_BURST: '10000' } });
  pages = await startStaticServer();
  [alice, bob] = (await Promise.all([
    glossBrowser('chromium', 'alice', { serverUrl: server.url, name: 'Alice' }),
    glossBrowser('chromium', 'bob', { serverUrl: server.url, name: 'Bob' }),
  ])) as [ChromiumWithGloss, ChromiumWithGloss];
  filler = (await connect(server.url, { name: 'Filler' })).socket;
});

afterAll(async () => {
  filler?.close();
  await closeAll(alice, bob, pages);
  await server?.stop();
});

/**
 * Creates conversations with `text` on `url` until the server refuses one; answers the refusal and
 * the ids stored. The smallest round (a one-character comment on a one-character quote) is smaller
 * than anything the UI sends, so what the UI sends next needs a page the file no longer has.
 */
async function fillWith(url: string, text: string, quote: string): Promise<{ refusal: unknown; ids: string[] }> {
  const ids: string[] = [];
  for (let i = 0; i < 2_000; i++) {
    const chat = { ...typicalChat(url), text, target: { selector: [{ type: 'TextQuoteSelector' as const, exact: quote }] } };
    const answer = (await request(filler!, 'text-chat:create', { broadcastId: chat.id, chat })) as { ok: boolean };
    if (!answer.ok) return { refusal: answer, ids };
    ids.push(chat.id);
  }
  throw new Error(`2,000 conversations of ${text.length} characters fitted in 1 MiB`);
}

it('a full server: the refusal is shown and heard, the draft is kept, nobody sees it; a deletion goes through', async () => {
  const url = pages!.url('article.html', `full-${randomUUID()}`);
  const a = await openArticle(alice!, url);
  const b = await openArticle(bob!, url);
  for (const t of [a, b]) {
    await waitForConnection(t, /^live$/);
    await openPanel(t);
  }
  const mine = await createConversation(a, '#p-definition', 'previously developed', 'Written before the server filled up.');
  await waitInUi(b, 'Alice\'s conversation', (root, id: string) => !!root.querySelector(`[data-testid="conversation"][data-id="${id}"]`), mine);

  // Filled for real: long conversations on another page, then ever smaller ones on this page (where
  // Alice's next one would go), until SQLite has no page left for them.
  const full = { ok: false, error: { code: 'store_full' } };
  const elsewhere = `${url}-elsewhere`;
  const big = await fillWith(elsewhere, 'x'.repeat(10_000), 'x');
  expect(big.refusal).toMatchObject(full);
  expect(big.ids.length).toBeGreaterThan(20);
  const here: string[] = [];
  for (const size of [1_000, 100, 1]) {
    const round = await fillWith(url, 'y'.repeat(size), 'y');
    expect(round.refusal).toMatchObject(full);
    here.push(...round.ids);
  }
  const before = [mine, ...here].sort();
  // Counted by the highlights: the panel renders the first cards and more as it is scrolled (conversationIds renders them all).
  await waitForHighlights(b, before.length);
  expect((await conversationIds(b)).sort()).toEqual(before);

  // Alice starts a conversation: refused.
  const draft = 'A thought I do not want to type twice.';
  await selectText(a, '#p-definition', 'software still performs');
  await clickUi(a, byTestId('annotate-button'));
  await typeInUi(a, `${byTestId('composer')} textarea`, draft);
  await clickUi(a, byTestId('composer-submit'));
  const said = await waitForUiText(a, `[role="alert"] ${byTestId('error')}`, /out of room/);
  expect(said).toContain('Not saved');
  // The words are back where she wrote them, and the composer works: sent again, refused again, heard again.
  const field = inUi(`${byTestId('composer')} textarea`);
  await a.locator(field).setTimeout(WAIT_MS).wait();
  expect(await a.$eval(field, (el) => (el as HTMLTextAreaElement).value)).toBe(draft);
  await waitInUi(a, 'the refused conversation gone from the panel', (root, before: string[]) =>
    [...root.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].every((c) => before.includes(c.dataset.id!)), before);
  const first = await waitForUiText(a, byTestId('error'), /out of room/);
  await clickUi(a, byTestId('composer-submit'));
  await waitInUi(a, 'the second refusal told again', (root, first: string) => {
    const now = root.querySelector('[role="alert"] [data-testid="error"]')?.textContent ?? '';
    return /out of room/.test(now) && now !== first;
  }, first);
  expect(await a.$eval(field, (el) => (el as HTMLTextAreaElement).value)).toBe(draft);

  // Deleting works at the limit; Bob sees it go. Broadcasts of a page reach him in order, so a
  // create of Alice's that had been stored and broadcast would have shown before this deletion.
  await deleteConversation(a, mine);
  await waitInUi(b, 'Alice\'s conversation gone', (root, id: string) => !root.querySelector(`[data-testid="conversation"][data-id="${id}"]`), mine);
  expect((await conversationIds(b)).sort()).toEqual(here.sort());
  expect((await conversationsOnServer(server!.url, url)).map((c) => c.id).sort()).toEqual(here.sort());
  // The deletion was not refused: the only notice is still the full server's.
  expect(await a.$eval(inUi(byTestId('error')), (el) => el.textContent)).toMatch(/out of room/);
});
