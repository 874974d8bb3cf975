// A static file server for the consumer apps, on 127.0.0.1: what a site serving a bundle
// does, plus the ways a site gets it wrong, on request:
//   csp:      a Content-Security-Policy header on every page
//   missing:  a RegExp of paths answered 404 (a bundler that did not emit a file)
//   html:     a RegExp of paths answered with index.html and 200 (a single-page-app fallback
//             in front of files the server does not know)
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** Resolves to { origin, requests: [{ path, status, bytes }], close() }. */
export async function serveStatic(root, { csp = null, missing = null, html = null } = {}) {
  const requests = [];
  const server = http.createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const file = path.join(root, pathname.endsWith('/') ? `${pathname}index.html` : pathname);
    const headers = csp ? { 'content-security-policy': csp } : {};
    const answer = (status, type, body) => {
      requests.push({ path: pathname, status, bytes: body.length });
      response.writeHead(status, { ...headers, 'content-type': type, 'content-length': body.length });
      response.end(body);
    };
    if (!file.startsWith(root + path.sep) && file !== root) return answer(403, 'text/plain', Buffer.from('outside'));
    if (missing?.test(pathname)) return answer(404, 'text/plain', Buffer.from('not found'));
    if (html?.test(pathname)) return answer(200, TYPES['.html'], fs.readFileSync(path.join(root, 'index.html')));
    let stat = null;
    try {
      stat = fs.statSync(file);
    } catch {
      // absent
    }
    if (stat?.isFile()) return answer(200, TYPES[path.extname(file)] ?? 'application/octet-stream', fs.readFileSync(file));
    return answer(404, 'text/plain', Buffer.from('not found'));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(resolve);
    }),
  };
}
