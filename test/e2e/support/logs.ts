import type { Browser, ConsoleMessage, Page, WebWorker } from 'puppeteer';

/**
 * Console output of every page and worker of a browser, kept so a failing test can print what the
 * extension said (the messages that explain most failures) instead of just "timed out".
 */
export class ConsoleLog {
  readonly lines: string[] = [];

  constructor(readonly label: string) {}

  add(source: string, text: string): void {
    this.lines.push(`[${this.label}] ${source}: ${text}`);
    if (this.lines.length > 2_000) this.lines.splice(0, 500);
  }

  watchPage(page: Page, source = 'page'): void {
    page.on('console', (m: ConsoleMessage) => this.add(`${source} ${m.type()}`, m.text()));
    page.on('pageerror', (e: unknown) => this.add(`${source} pageerror`, e instanceof Error ? e.message : String(e)));
  }

  /** A new tab whose console is kept, loaded with `url` when given. */
  async newPage(browser: Browser, url?: string): Promise<Page> {
    const page = await browser.newPage();
    this.watchPage(page);
    if (url) await page.goto(url, { waitUntil: 'load' });
    return page;
  }

  watchWorker(worker: WebWorker, source = 'worker'): void {
    worker.on('console', (m: ConsoleMessage) => this.add(`${source} ${m.type()}`, m.text()));
  }

  tail(n = 60): string {
    return this.lines.slice(-n).join('\n');
  }
}
