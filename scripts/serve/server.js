// Starts the dev server: an http.Server on `host` (127.0.0.1 unless told otherwise) running
// the handler, answering only to the names of that host.
import http from 'node:http';
import { createHandler } from './handler.js';
import { serverNames } from './hosts.js';

/** Resolves to { server, port } once listening. */
export function startServer({ repository, host = '127.0.0.1', port = 0 }) {
  const names = serverNames(host);
  const server = http.createServer(createHandler({ repository, names, port: () => server.address().port }));
  // CONNECT never reaches the request handler, and without a listener Node drops the
  // connection unanswered: answer it like any other method but GET and HEAD.
  server.on('connect', (req, socket) => {
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({ server, port: server.address().port });
    });
  });
}
