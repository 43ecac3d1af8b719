import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { createBenchStats } from '../../server/http/bench-stats.js';

/**
 * The practical lower bound the benchmark compares Gloss with: a raw `ws` server that relays every
 * message to the other sockets of its room (`?room=` on the URL). No validation, no storage, no
 * acknowledgement, no presence. It answers `GET /debug/stats` like Gloss does with GLOSS_BENCH_STATS=1.
 */
const stats = createBenchStats();
const server = http.createServer((req, res) => {
  if (req.url?.startsWith('/debug/stats')) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats.answer(req.url.includes('reset=1'))));
  } else res.writeHead(404).end();
});
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 });
const rooms = new Map<string, Set<WebSocket>>();

wss.on('connection', (ws, req) => {
  const room = new URL(req.url ?? '/', 'http://localhost').searchParams.get('room') ?? '';
  let members = rooms.get(room);
  if (!members) rooms.set(room, (members = new Set()));
  members.add(ws);
  ws.on('message', (data, isBinary) => {
    for (const peer of members) if (peer !== ws && peer.readyState === 1) peer.send(data, { binary: isBinary });
  });
  ws.on('close', () => {
    members.delete(ws);
    if (members.size === 0) rooms.delete(room);
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: `http://127.0.0.1:${port}` })}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
