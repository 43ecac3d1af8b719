import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A site of one generated page (`html` at `path`, any query), everything else 404, on a random port:
 * for tests whose page is built in the test (a long page, many paragraphs), not one of test/e2e/pages.
 */
export async function serveOnePage(path: string, html: string): Promise<{ origin: string; close(): Promise<void> }> {
  const site = http.createServer((req, res) => {
    if ((req.url ?? '').startsWith(path)) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
    else res.writeHead(404).end();
  });
  site.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(site.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        site.closeAllConnections();
        site.close(() => resolve());
      }),
  };
}
