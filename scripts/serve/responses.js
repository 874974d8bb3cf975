// Everything the dev server writes: its headers (the same on every answer), error texts that
// never echo the request, relative redirects, and files streamed so that a client leaving
// mid-way only ends that one response.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream';

// What the demo needs and nothing more: its own scripts and modules (the package's Workers
// and the AudioWorklet are same-origin files), compiling WebAssembly ('wasm-unsafe-eval'),
// fetching the .wasm and the sample WAVs, its stylesheet, and the `data:` icon. No inline
// code, no eval, no plugins, no framing (the microphone prompt must not be clickjacked).
// web/demo/index.html has its own <meta> policy for servers that send none; a browser
// enforces both, and only a header can forbid framing. tests/browser/ runs the demo under it.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'",
  "img-src 'self' data:", "connect-src 'self'", "worker-src 'self'", "base-uri 'none'",
  "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // The demo opens no windows and loads nothing from other origins, so these cost nothing:
  // no other page keeps a handle on it, and no other site may embed its files.
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  // A development server: always the files as they are on disk now.
  'cache-control': 'no-store',
};

export const ERROR_TEXTS = {
  400: 'Bad request.',
  404: 'Not found. This server serves only the demo (/web/demo/) and the package files it loads.',
  405: 'Method not allowed: only GET and HEAD.',
  414: 'URI too long.',
  421: 'Misdirected request: the Host header does not name this server.',
  500: 'Internal server error.',
};

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.wav': 'audio/wav',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

/** A plain-text answer with a fixed text for `status` (never the request's path or headers). */
export function sendStatus(res, status, extraHeaders = {}) {
  const body = `${ERROR_TEXTS[status]}\n`;
  res.writeHead(status, {
    ...SECURITY_HEADERS, ...extraHeaders,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

export function sendEmpty(res, status) {
  res.writeHead(status, { ...SECURITY_HEADERS, ...(status === 204 ? {} : { 'content-length': 0 }) });
  res.end();
}

/**
 * Redirects to `relative`, a path relative to the request's own URL made of percent-encoded
 * segments and starting with './': it cannot name another host or scheme, and every
 * character is legal in a header.
 */
export function redirect(res, relative) {
  res.writeHead(301, { ...SECURITY_HEADERS, location: relative, 'content-length': 0 });
  res.end();
}

/** './<name>/': the folder `name` (the request's last segment) with its trailing slash. */
export const folderLocation = (name) => `./${encodeURIComponent(name)}/`;

/**
 * Streams the regular file at `file` (a real path, symlinks already resolved). Should it have
 * been swapped since, O_NOFOLLOW refuses a symlink and O_NONBLOCK keeps a FIFO from blocking
 * the read. Range headers are ignored: the whole file, 200.
 */
export function sendFile(req, res, file, size) {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': size,
    'accept-ranges': 'none',
  });
  if (req.method === 'HEAD') return res.end();
  const flags = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;
  // A client that disconnects, or a read error, ends here: pipeline destroys both streams
  // (closing the file) and nothing is thrown.
  pipeline(fs.createReadStream(file, { flags }), res, () => {});
}
