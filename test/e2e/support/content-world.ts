import type { Page } from 'puppeteer';
import { waitFor } from './wait.js';

interface ExecutionContext {
  id: number;
  origin: string;
  name: string;
  auxData?: { type?: string; frameId?: string; isDefault?: boolean };
}

/**
 * Runs `expression` in Gloss's content-script world of the page's top frame (Chromium, over CDP): the
 * world a flaw in the content script would hand to a hostile page. Puppeteer evaluates only in the
 * page's own world; the content script's is an "isolated" execution context named after the
 * extension, whose `chrome.*` APIs are those any content script of ours has. Answers the value of
 * the expression (awaited when it is a promise).
 */
export async function evaluateInContentScript(page: Page, extensionName: string, expression: string): Promise<unknown> {
  const cdp = await page.createCDPSession();
  try {
    const contexts: ExecutionContext[] = [];
    cdp.on('Runtime.executionContextCreated', (event: { context: ExecutionContext }) => contexts.push(event.context));
    // Enabling reports every context that exists already.
    await cdp.send('Runtime.enable');
    const { frameTree } = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
    const frameId = frameTree.frame.id;
    const context = await waitFor(`the content script's world in ${page.url()}`, () =>
      contexts.find((c) => c.auxData?.type === 'isolated' && c.auxData.frameId === frameId && c.name === extensionName),
    );
    const result = (await cdp.send('Runtime.evaluate', { expression, contextId: context.id, awaitPromise: true, returnByValue: true })) as {
      result: { value?: unknown };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (result.exceptionDetails) throw new Error(`in the content script's world: ${result.exceptionDetails.exception?.description ?? result.exceptionDetails.text}`);
    return result.result.value;
  } finally {
    await cdp.detach().catch(() => {});
  }
}
