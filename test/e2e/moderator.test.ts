import type { Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueToken, startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { byTestId, clickUi, conversationCss, createConversation, openPanel, uiText, waitForHighlights, waitForViewers, waitInUi } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

/**
 * A private tenant's moderator at work in the real UI (README, "Private tenants"): Mia, a moderator
 * in Chromium, deletes the conversation Bob, a member in another Chromium, started; the question
 * names Bob, and Bob's browser sees it go, and come back on Mia's Undo. Bob is offered no Delete on Mia's.
 */
let server: ServerProcess;
let pages: StaticServer;
let mia: ChromiumWithGloss | undefined;
let bob: ChromiumWithGloss | undefined;
const tabs: Page[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  pages = await startStaticServer();
  const [miaToken, bobToken] = await Promise.all([
    issueToken(server, { tenant: 'acme', user: 'mia', name: 'Mia', role: 'moderator' }),
    issueToken(server, { tenant: 'acme', user: 'bob', name: 'Bob' }),
  ]);
  mia = (await glossBrowser('chromium', 'M', { serverUrl: server.url, name: 'Mia', token: miaToken })) as ChromiumWithGloss;
  bob = (await glossBrowser('chromium', 'B', { serverUrl: server.url, name: 'Bob', token: bobToken })) as ChromiumWithGloss;
});
afterAll(async () => {
  await closeAll(...tabs, mia, bob, pages);
  await server?.stop();
});
printLogsOnFailure(() => [mia, bob]);

const present = (root: ShadowRoot, id: string) => !!root.querySelector(`[data-testid="conversation"][data-id="${id}"]`);
const absent = (root: ShadowRoot, id: string) => !root.querySelector(`[data-testid="conversation"][data-id="${id}"]`);

it("a moderator deletes a member's conversation from the panel, asked first with the member named; the member sees it go", async () => {
  const url = pages.url('article.html', 'moderator');
  const pm = await openArticle(mia!, url);
  const pb = await openArticle(bob!, url);
  tabs.push(pm, pb);
  await waitForViewers(pm, 2);
  await waitForViewers(pb, 2);

  const bobs = await createConversation(pb, '#p-definition', 'Regression testing is re-running functional and non-functional tests', 'Bob says this, and a moderator may remove it.');
  const mias = await createConversation(pm, '#p-definition', 'Regression testing', 'Mia says this.');
  await openPanel(pb);
  await waitInUi(pb, "Mia's conversation in Bob's panel", present, mias);
  expect(await pb.$(`gloss-root >>> ${conversationCss(mias)} ${byTestId('delete-conversation')}`), "a member has no Delete on a moderator's conversation").toBeNull();

  await openPanel(pm);
  await waitInUi(pm, "Bob's conversation in Mia's panel", present, bobs);
  await clickUi(pm, `${conversationCss(bobs)} ${byTestId('delete-conversation')}`);
  expect(await uiText(pm, `${conversationCss(bobs)} ${byTestId('delete-confirm')} p`)).toBe("Delete Bob's conversation for everyone?");
  await clickUi(pm, `${conversationCss(bobs)} ${byTestId('delete-conversation-confirm')}`);
  // Mia goes on to Undo at once: the notice's 10 s wait while focus is on it (UndoNotice.tsx), and
  // the waits on Bob's browser below could outlast them on a loaded machine.
  await waitInUi(pm, "the Undo notice in Mia's panel", (root) => root.querySelector('[data-testid="undo-delete"]') !== null, null);
  await pm.evaluate(() => document.querySelector('gloss-root')!.shadowRoot!.querySelector<HTMLElement>('[data-testid="undo-delete"]')!.focus());

  await waitInUi(pb, "Bob's conversation gone in Bob's browser", absent, bobs);
  await waitInUi(pm, "Bob's conversation gone in Mia's", absent, bobs);
  await waitForHighlights(pb, 1);
  await waitInUi(pb, "Mia's conversation kept in Bob's", present, mias);

  // The same Undo an author is offered (the server allows a restore to whoever may delete).
  await clickUi(pm, byTestId('undo-delete'));
  await waitInUi(pb, "Bob's conversation back in Bob's browser", present, bobs);
  await waitInUi(pm, "Bob's conversation back in Mia's", present, bobs);
}, 120_000);
