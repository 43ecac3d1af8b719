import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import type { Target } from '../../protocol/model.js';
import { encodeNewTextChat } from '../../protocol/wire.js';
import { createBenchStats } from '../../server/http/bench-stats.js';

/**
 * A reference, not a bound: plain Socket.IO as its documentation sets it up, doing the least a
 * Socket.IO server can do with Gloss's traffic. `page:join` joins the room of the page URL as sent;
 * `text-chat:create` is acknowledged and its `new-text-chat` tuple emitted to the other sockets of
 * the room. No validation, no storage, no presence, Socket.IO's default adapter and encoder.
 *
 * Why: issue 5 sets the 4,000 events/s target against the raw `ws` relay and says plain Socket.IO
 * measured about 3× of it. Measured in the same run, this server shows where plain Socket.IO stands
 * on the machine of the run, so that Gloss's ratio can be read against the framework it is built on.
 */
const stats = createBenchStats();
const server = http.createServer((req, res) => {
  if (req.url?.startsWith('/debug/stats')) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats.answer(req.url.includes('reset=1'))));
  } else res.writeHead(404).end();
});
const io = new Server(server, { transports: ['websocket'], serveClient: false });

interface Create {
  broadcastId: string;
  chat: { id: string; target: Target; text: string };
}
const AUTHOR = { id: 'anon-KpZXnpEuB6isDBGDT69FRT', name: 'Alice' };
let seq = 0;

io.on('connection', (socket) => {
  let room = '';
  socket.on('page:join', (join: { url: string }, ack: (answer: unknown) => void) => {
    room = join.url;
    void socket.join(room);
    ack({ ok: true, conversations: [] });
  });
  socket.on('text-chat:create', ({ broadcastId, chat }: Create, ack: (answer: unknown) => void) => {
    seq += 1;
    ack({ ok: true, seq });
    const event = { broadcastId, seq, pageKey: room, id: chat.id, chat: { target: chat.target, text: chat.text, author: AUTHOR, createdAt: Date.now() } };
    socket.to(room).emit('new-text-chat', encodeNewTextChat(event));
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: `http://127.0.0.1:${port}` })}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
