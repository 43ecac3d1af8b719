import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PAGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'pages');

export interface StaticServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  origin: string;
  /** The URL of a page in test/e2e/pages; `run` makes a distinct Gloss page (the query is part of the page key). */
  url(page: string, run?: string): string;
  close(): Promise<void>;
}

/**
 * Serves test/e2e/pages on 127.0.0.1 (or `host`) at a random port: the "web sites" the extension
 * annotates.
 */
export async function startStaticServer(host = '127.0.0.1'): Promise<StaticServer> {
  const server = http.createServer((req, res) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      const file = path.join(PAGES, path.normalize(pathname).replace(/^([/\\])+/, ''));
      if (!file.startsWith(PAGES + path.sep) || !file.endsWith('.html')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
      } catch {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    })();
  });
  // Browsers keep connections alive; without this, close() would wait for them.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (page, run) => `${origin}/${page}${run ? `?run=${encodeURIComponent(run)}` : ''}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
