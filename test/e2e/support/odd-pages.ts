import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OddPages {
  origin: string;
  /** An HTML page whose response does not end until `finishSlow()`: its tab stays loading. */
  slowUrl: string;
  /** Resolves once the browser has asked for the slow page (its tab is then loading it). */
  slowRequested: Promise<void>;
  finishSlow(): void;
  /** An SVG document: a loaded web page, but not HTML, so the content script does not start on it. */
  svgUrl: string;
  close(): Promise<void>;
}

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><text x="10" y="50">Not an HTML page</text></svg>';

/** Pages the article server does not have: one that stays loading, one that is not HTML. */
export async function startOddPages(): Promise<OddPages> {
  let requested!: () => void;
  const slowRequested = new Promise<void>((r) => (requested = r));
  let finish: (() => void) | null = null;
  let finished = false;
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (pathname === '/slow.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.write('<!doctype html><html><head><title>Slow</title></head><body><p>The first words of a page that takes its time.</p>');
      finish = () => res.end('<p>And the rest of it.</p></body></html>');
      requested();
      if (finished) finish();
      return;
    }
    if (pathname === '/picture.svg') {
      res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' }).end(SVG);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    slowUrl: `${origin}/slow.html`,
    slowRequested,
    finishSlow() {
      finished = true;
      finish?.();
    },
    svgUrl: `${origin}/picture.svg`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
