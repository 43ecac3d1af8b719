import { randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { expect } from 'vitest';
import { request } from '../../support/clients.js';
import type { BobOnPages } from './bob-on-pages.js';
import type { ChromeGlobal } from './chrome-api.js';
import type { ChromiumWithGloss } from './chromium.js';
import { POLL_MS, WAIT_MS } from './gloss-ui.js';
import { waitFor } from './wait.js';

/** What the toolbar button shows for one tab: the badge's text and the button's tooltip. */
export interface ToolbarBadge {
  text: string;
  title: string;
}

/** The toolbar button of `tabId` as Chromium shows it, asked of the extension's service worker (the current one). */
export async function chromiumBadge(g: ChromiumWithGloss, tabId: number): Promise<ToolbarBadge> {
  const worker = await g.worker();
  return worker.evaluate(async (tabId: number) => {
    const { action } = (globalThis as unknown as ChromeGlobal).chrome!;
    return { text: await action.getBadgeText({ tabId }), title: await action.getTitle({ tabId }) };
  }, tabId);
}

/** The extension's action API as an extension page of Firefox has it. */
interface FirefoxAction {
  browser: { action: { getBadgeText(d: { tabId: number }): Promise<string>; getTitle(d: { tabId: number }): Promise<string> } };
}

/** The toolbar button of `tabId` as Firefox shows it, asked through `extensionPage`, an open page of the add-on. */
export function firefoxBadge(extensionPage: Page, tabId: number): Promise<ToolbarBadge> {
  return extensionPage.evaluate(async (tabId: number) => {
    const { action } = (globalThis as unknown as FirefoxAction).browser;
    return { text: await action.getBadgeText({ tabId }), title: await action.getTitle({ tabId }) };
  }, tabId);
}

/** Polls `read` until the badge reads `text` (and the tooltip `title`, when given); fails with what it showed last. */
export async function waitForBadge(read: () => Promise<ToolbarBadge>, text: string, title?: string, timeoutMs = WAIT_MS): Promise<void> {
  let last: ToolbarBadge | null = null;
  try {
    await waitFor(
      `the toolbar badge "${text}"${title === undefined ? '' : ` titled "${title}"`}`,
      async () => {
        last = await read();
        return last.text === text && (title === undefined || last.title === title);
      },
      timeoutMs,
      POLL_MS,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; it showed ${JSON.stringify(last)}`);
  }
}

/** The tooltip for `n` conversations (extension/background/badge.ts, spelled out again here to check it). */
export const countTitle = (n: number) => (n === 0 ? 'Gloss — no conversations on this page yet' : `Gloss — ${n} ${n === 1 ? 'conversation' : 'conversations'} on this page`);

/** Waits until the button shows `n` conversations: the number (an empty badge for 0) and its tooltip. */
export const waitForCount = (read: () => Promise<ToolbarBadge>, n: number) => waitForBadge(read, n === 0 ? '' : String(n), countTitle(n));

/** Bob deletes conversation `id`. */
export async function bobDeletes(ctx: BobOnPages, id: string): Promise<void> {
  const answer = await request(ctx.bob, 'text-chat:delete', { broadcastId: randomUUID(), id });
  expect(answer.ok, JSON.stringify(answer)).toBe(true);
}

/**
 * The sockets other than Bob's that the server has seen, from its connection log: those of the
 * browser's background, one per life, in the order they connected, and how many are open now (0
 * between a stopped or suspended background's socket closing and the next one connecting).
 */
export function browserSockets(ctx: BobOnPages): { connected: string[]; open: number } {
  const connected: string[] = [];
  const open = new Set<string>();
  for (const line of ctx.server.logs) {
    let entry: { event?: string; socket?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (!entry.socket || entry.socket === ctx.bob.id) continue;
    if (entry.event === 'connected') {
      connected.push(entry.socket);
      open.add(entry.socket);
    }
    if (entry.event === 'disconnected') open.delete(entry.socket);
  }
  return { connected, open: open.size };
}
