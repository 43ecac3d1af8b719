import type { Page, WebWorker } from 'puppeteer';
import Database from 'better-sqlite3';
import { pageSeq, pageSeqs } from '../../support/db.js';
import { byTestId, clickUi, conversationCss, conversationIds, inUi, openPanel, selectText, typeInUi, waitForUiText, waitInUi, WAIT_MS } from './gloss-ui.js';

/**
 * Helpers for the fault tests (test/e2e/faults-*.test.ts): user actions that do not wait for the
 * server's confirmation (they are made while it is down), and readers of the state each layer
 * holds: the tab (panel attributes), the worker (its IndexedDB) and the server (the SQLite file).
 */

/** Reconnecting after a long outage can take one full backoff step (up to 45 s) after the server is back. */
export const RECOVER_MS = 120_000;

export interface Shown {
  id: string;
  revision: number;
  pending: boolean;
  resolved: boolean;
  comments: number;
}

/** The conversations a tab's panel shows, as (id, revision, pending, resolved, comment count). */
export async function shown(page: Page): Promise<Shown[]> {
  return page.evaluate(() =>
    [...(document.querySelector('gloss-root')?.shadowRoot?.querySelectorAll<HTMLElement>('[data-testid="conversation"]') ?? [])]
      .map((c) => ({
        id: c.dataset.id!,
        revision: Number(c.dataset.revision),
        pending: c.dataset.pending === 'true',
        resolved: c.dataset.resolved === 'true',
        comments: c.querySelectorAll('[data-testid="comment"]').length,
      }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  );
}

/** Waits until the tab's connection indicator reads one of `states`. */
export async function waitForConnection(page: Page, states: RegExp, timeout = WAIT_MS): Promise<string> {
  return waitForUiText(page, byTestId('connection'), states, timeout);
}

/** Starts a conversation on `phrase` without waiting for the server: returns its id once the tab shows it (pending or not). */
export async function createUnconfirmed(page: Page, within: string, phrase: string, text: string): Promise<string> {
  await page.bringToFront();
  await openPanel(page);
  const before = await conversationIds(page);
  await selectText(page, within, phrase);
  await clickUi(page, byTestId('annotate-button'));
  await typeInUi(page, `${byTestId('composer')} textarea`, text);
  await clickUi(page, byTestId('composer-submit'));
  // The background's pending copy (first comment named like the conversation) replaces the tab's own.
  await waitInUi(
    page,
    'the new conversation from the background',
    (root, before: string[]) =>
      [...root.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].some((c) => !before.includes(c.dataset.id!) && !!c.querySelector(`[data-testid="comment"][data-id="${c.dataset.id}"]`)),
    before,
  );
  const fresh = (await conversationIds(page)).filter((id) => !before.includes(id));
  if (fresh.length !== 1) throw new Error(`expected one new conversation, found ${JSON.stringify(fresh)}`);
  return fresh[0]!;
}

async function commentCount(page: Page, id: string): Promise<number> {
  return page.evaluate(
    (css: string) => document.querySelector('gloss-root')?.shadowRoot?.querySelector(css)?.querySelectorAll('[data-testid="comment"]').length ?? -1,
    conversationCss(id),
  );
}

/** Waits until conversation `id` shows `n` comments in the tab. */
export async function waitForComments(page: Page, id: string, n: number, timeout = WAIT_MS): Promise<void> {
  await waitInUi(
    page,
    `${n} comments in ${id}`,
    (root, arg: { css: string; n: number }) => root.querySelector(arg.css)?.querySelectorAll('[data-testid="comment"]').length === arg.n,
    { css: conversationCss(id), n },
    timeout,
  );
}

/** Replies in the panel and waits for the reply to show (as pending while offline). */
export async function reply(page: Page, id: string, text: string): Promise<void> {
  await page.bringToFront();
  await openPanel(page);
  const before = await commentCount(page, id);
  await typeInUi(page, `${conversationCss(id)} ${byTestId('reply-input')}`, text);
  await clickUi(page, `${conversationCss(id)} ${byTestId('reply-submit')}`);
  await waitForComments(page, id, before + 1);
}

/** Edits the first comment of conversation `id` (the user's own) and waits for the new text. */
export async function editFirstComment(page: Page, id: string, text: string): Promise<void> {
  await page.bringToFront();
  await openPanel(page);
  const comment = `${conversationCss(id)} [data-testid="comment"][data-id="${id}"]`;
  await clickUi(page, `${comment} ${byTestId('edit-comment')}`);
  await typeInUi(page, `${comment} ${byTestId('edit-input')}`, text);
  await clickUi(page, `${comment} ${byTestId('edit-save')}`);
  await waitInUi(page, `edited text in ${id}`, (root, a: { css: string; text: string }) => root.querySelector(a.css)?.querySelector('[data-testid="comment-text"]')?.textContent === a.text, { css: comment, text });
}

/** Toggles resolved and waits for the tab to show the new state. */
export async function toggleResolved(page: Page, id: string): Promise<void> {
  await page.bringToFront();
  await openPanel(page);
  const was = await page.evaluate((css: string) => (document.querySelector('gloss-root')?.shadowRoot?.querySelector<HTMLElement>(css)?.dataset.resolved ?? '') === 'true', conversationCss(id));
  await clickUi(page, `${conversationCss(id)} ${byTestId('resolve')}`);
  await page.locator(inUi(`${conversationCss(id)}[data-resolved="${String(!was)}"]`)).setTimeout(WAIT_MS).wait();
}

/** Deletes conversation `id` (the user's own) and waits for it to leave the panel. */
export async function deleteConversation(page: Page, id: string): Promise<void> {
  await page.bringToFront();
  await openPanel(page);
  await clickUi(page, `${conversationCss(id)} ${byTestId('delete-conversation')}`);
  await clickUi(page, `${conversationCss(id)} ${byTestId('delete-conversation-confirm')}`);
  await waitInUi(page, `${id} gone from the panel`, (root, css: string) => !root.querySelector(css), conversationCss(id));
}

/** Waits until the tab shows exactly `expected` (id, revision) and nothing pending. */
export async function waitForShown(page: Page, expected: { id: string; revision: number }[], timeout = RECOVER_MS): Promise<void> {
  const want = JSON.stringify([...expected].sort((a, b) => a.id.localeCompare(b.id)).map((r) => [r.id, r.revision]));
  try {
    await waitInUi(
      page,
      'the database state',
      (root, want: string) => {
        const list = [...root.querySelectorAll<HTMLElement>('[data-testid="conversation"]')];
        if (list.some((c) => c.dataset.pending === 'true')) return false;
        const got = list.map((c) => [c.dataset.id!, Number(c.dataset.revision)] as [string, number]).sort((a, b) => a[0].localeCompare(b[0]));
        return JSON.stringify(got) === want;
      },
      want,
      timeout,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}\nwanted ${want}\ntab shows ${JSON.stringify(await shown(page).catch(() => null))}`);
  }
}

/** Waits until no conversation in the tab is pending. */
export async function waitNothingPending(page: Page, timeout = RECOVER_MS): Promise<void> {
  await waitInUi(page, 'nothing pending', (root) => ![...root.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].some((c) => c.dataset.pending === 'true'), null, timeout);
}

// ---- the worker's IndexedDB ----

export interface WorkerPage {
  seq: number | null;
  conversations: { id: string; revision: number }[];
  deleted: string[];
}

/** Rows in the worker's outbox store, read in the worker itself. */
export async function outboxSize(worker: WebWorker): Promise<number> {
  return worker.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open('gloss');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('outbox')) {
            db.close();
            resolve(0);
            return;
          }
          const count = db.transaction('outbox').objectStore('outbox').count();
          count.onsuccess = () => {
            db.close();
            resolve(count.result);
          };
          count.onerror = () => reject(new Error(String(count.error)));
        };
      }),
  );
}

/** The page's confirmed state as the worker persisted it (its row in `pages`, its conversations in its bucket rows in `conversations`). */
export async function workerPage(worker: WebWorker, pageKey: string): Promise<WorkerPage | null> {
  return worker.evaluate(
    (pageKey: string) =>
      new Promise<WorkerPage | null>((resolve, reject) => {
        const open = indexedDB.open('gloss');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['pages', 'conversations']);
          const head = tx.objectStore('pages').get(pageKey);
          const rows = tx.objectStore('conversations').getAll(IDBKeyRange.bound([pageKey], [pageKey, []]));
          tx.oncomplete = () => {
            db.close();
            const row = head.result as { seq: number | null; deleted: string[] } | undefined;
            if (!row) return resolve(null);
            const buckets = rows.result as { conversations: { id: string; revision: number }[] }[];
            const conversations = buckets.flatMap((bucket) => bucket.conversations).map((c) => ({ id: c.id, revision: c.revision }));
            resolve({ seq: row.seq, conversations: conversations.sort((a, b) => a.id.localeCompare(b.id)), deleted: [...row.deleted].sort() });
          };
          tx.onerror = () => reject(new Error(String(tx.error)));
        };
      }),
    pageKey,
  );
}

// ---- the server's SQLite file ----

export interface DbPage {
  seq: number;
  live: { id: string; revision: number }[];
  deleted: string[];
  /** Live comments per live conversation. */
  comments: Record<string, number>;
  resolved: Record<string, boolean>;
  changes: number;
}

/** The database's truth for one page, read straight from the file. */
export function dbPage(dbPath: string, pageKey: string): DbPage {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT key, id, revision, resolved, deleted_at IS NOT NULL AS deleted FROM conversations WHERE page_key = ? ORDER BY id').all(pageKey) as { key: number; id: string; revision: number; resolved: number; deleted: number }[];
    const live = rows.filter((r) => !r.deleted);
    const comments: Record<string, number> = {};
    const resolved: Record<string, boolean> = {};
    for (const r of live) {
      comments[r.id] = (db.prepare('SELECT count(*) AS n FROM comments WHERE conversation = ? AND deleted_at IS NULL').get(r.key) as { n: number }).n;
      resolved[r.id] = r.resolved === 1;
    }
    return {
      seq: pageSeq(db, pageKey),
      live: live.map((r) => ({ id: r.id, revision: r.revision })).sort((a, b) => a.id.localeCompare(b.id)),
      deleted: rows.filter((r) => r.deleted).map((r) => r.id).sort(),
      comments,
      resolved,
      changes: pageSeqs(db, pageKey).length,
    };
  } finally {
    db.close();
  }
}
