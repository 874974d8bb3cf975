#!/usr/bin/env node
// Serves the repository statically on 127.0.0.1 for the demo and the browser tests, and
// prints the demo's address. Read-only, GET/HEAD only, nothing outside the repository.
//
//   node scripts/serve.js [--port N] [--no-build]
// --port (or PORT): 0 (default) picks a free port. Without --no-build it first runs
// scripts/build.sh and scripts/make-samples.sh (npm start does that itself and passes it).
//
// URLs: /web/demo/ is the demo; paths that do not exist at the repository root are looked up
// in web/ too, so /demo/ (used by tests/browser/harness.js) is the same page.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WEB = path.join(ROOT, 'web');

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
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

function parseArgs(argv) {
  const args = { port: Number(process.env.PORT ?? 0), build: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') args.port = Number(argv[++i]);
    else if (argv[i].startsWith('--port=')) args.port = Number(argv[i].slice(7));
    else if (argv[i] === '--no-build') args.build = false;
    else throw new Error(`serve.js: unknown argument ${argv[i]} (usage: node scripts/serve.js [--port N] [--no-build])`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error('serve.js: --port must be 0..65535');
  return args;
}

// The file for a URL path under `base`, or null (also for anything escaping `base`).
function fileUnder(base, urlPath) {
  const file = path.resolve(base, `.${urlPath}`);
  if (file !== base && !file.startsWith(base + path.sep)) return null;
  return fs.existsSync(file) ? file : null;
}

function resolve(urlPath) {
  return fileUnder(ROOT, urlPath) ?? fileUnder(WEB, urlPath);
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function handle(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n');
  let urlPath;
  try {
    urlPath = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  } catch {
    return send(res, 400, 'bad request\n');
  }
  if (urlPath.includes('\0')) return send(res, 400, 'bad request\n');
  let file = resolve(urlPath);
  // Browsers ask for an icon on every page; there is none, and a 404 would show up as a
  // console error in the browser tests.
  if (!file && urlPath === '/favicon.ico') {
    res.writeHead(204, { 'cache-control': 'no-store' });
    return res.end();
  }
  if (!file) return send(res, 404, `not found: ${urlPath}\n`);
  let stat = fs.statSync(file);
  if (stat.isDirectory()) {
    if (!urlPath.endsWith('/')) {
      res.writeHead(301, { location: `${urlPath}/`, 'cache-control': 'no-store' });
      return res.end();
    }
    file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) return send(res, 404, `no index.html in ${urlPath}\n`);
    stat = fs.statSync(file);
  }
  res.writeHead(200, {
    'content-type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': stat.size,
    // A development server: always the files as they are on disk now.
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') return res.end();
  fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

const args = parseArgs(process.argv.slice(2));
if (args.build) {
  execFileSync('bash', [path.join(ROOT, 'scripts/build.sh'), 'wasm'], { stdio: 'inherit' });
  execFileSync('bash', [path.join(ROOT, 'scripts/make-samples.sh')], { stdio: 'inherit' });
}
const server = http.createServer(handle);
server.listen(args.port, '127.0.0.1', () => {
  const { port } = server.address();
  console.log(`gmmhmm demo: http://127.0.0.1:${port}/web/demo/`);
  console.log(`(serving ${ROOT}; Ctrl-C stops)`);
});
// Exit at once: waiting for browsers' keep-alive connections to close could take minutes.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
