// Shared by the dev-server suites: a fixture checkout to serve, scripts/serve.js started on
// it as a child process (a crash is an exit, not a broken test runner), raw requests over a
// socket (so malformed ones can be sent too), and the checks every answer must pass.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { ERROR_TEXTS } from '../../scripts/serve/responses.js';

export const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVE = path.join(REPOSITORY, 'scripts/serve.js');

/** In every file the server must not serve; never in any file it may. */
export const SECRET = 'SECRET-not-for-the-browser';
export const PUBLIC = 'public-file';

/** Folder names a redirect must carry safely: above U+00FF, control characters, CR LF. */
export const ODD_FOLDERS = ['dir€', 'ünïcødé 字', 'dir\u0001\u007f', 'x\r\nset-cookie: a=b', 'a%2Fb', "q?#'\"<>"];

/**
 * Builds a checkout in a temporary folder: the allowed files (with PUBLIC), files outside
 * the allow-list and a folder outside the checkout (with SECRET), symlinks leading out and
 * one staying in, a FIFO, and ODD_FOLDERS under web/demo/. Returns { root, outside, dir }.
 */
export function makeFixture() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmmhmm-serve-'));
  const root = path.join(dir, 'repo');
  const outside = path.join(dir, 'outside');
  const write = (rel, text, base = root) => {
    fs.mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    fs.writeFileSync(path.join(base, rel), text);
  };
  write('package.json', JSON.stringify({ name: 'fixture', note: PUBLIC }));
  for (const rel of ['web/index.js', 'web/ready.js', 'web/lib/errors.js', 'web/demo/index.html', 'web/demo/js/main.js', 'web/demo/samples/manifest.json']) write(rel, `// ${PUBLIC} ${rel}\n`);
  // Big enough that a download is still streaming when the client goes away.
  write('web/dist/big.wasm', Buffer.alloc(8 << 20, PUBLIC));
  for (const rel of [
    '.git/config', '.git/HEAD', '.env', 'CMakeLists.txt', 'README.md', 'build/native/core.o', 'build/asan/CMakeCache.txt',
    'node_modules/pkg/index.js', 'scripts/serve.js', 'cpp/src/model.cpp', 'web/index.d.ts', 'web/cli/gmmhmm.js',
    'web/demo/.hidden', 'web/demo/.git/config', 'web/secret.js', 'web/.env',
  ]) write(rel, `${SECRET} ${rel}\n`);
  write('secret.txt', `${SECRET} outside\n`, outside);
  write('sub/index.html', `${SECRET} outside index\n`, outside);
  fs.symlinkSync(outside, path.join(root, 'web/demo/out'));
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'web/demo/passwd.txt'));
  fs.symlinkSync(path.join(outside, 'sub'), path.join(root, 'web/demo/sub'));
  fs.symlinkSync('../../.git', path.join(root, 'web/demo/git'));
  fs.symlinkSync('../../CMakeLists.txt', path.join(root, 'web/lib/cmake.js'));
  fs.symlinkSync('../demo', path.join(root, 'web/lib/demo'));
  fs.symlinkSync('js/main.js', path.join(root, 'web/demo/alias.js'));
  execFileSync('mkfifo', [path.join(root, 'web/demo/fifo.js')]);
  for (const name of ODD_FOLDERS) write(`web/demo/${name}/index.html`, `${PUBLIC} ${JSON.stringify(name)}\n`);
  return { root, outside, dir };
}

/** startServe() on a new makeFixture(); its close() also removes the fixture. */
export async function serveFixture() {
  const fixture = makeFixture();
  const remove = () => fs.rmSync(fixture.dir, { recursive: true, force: true });
  try {
    const server = await startServe(['--root', fixture.root]);
    return { ...server, close: () => server.close().then(remove) };
  } catch (error) {
    remove();
    throw error;
  }
}

/**
 * Starts scripts/serve.js (no build) on a free port; resolves to { origin, port, child,
 * stderr(), alive(), close() }. `args` are added to the command line.
 */
export async function startServe(args = []) {
  const child = spawn(process.execPath, [SERVE, '--no-build', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const match = stdout.match(/http:\/\/\S+/);
      if (match) resolve(new URL(match[0]));
    });
    child.on('exit', (code) => reject(new Error(`serve.js exited with ${code}:\n${stdout}${stderr}`)));
  });
  return {
    origin: url.origin,
    port: Number(url.port),
    host: url.hostname,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    alive: () => child.exitCode === null && child.signalCode === null,
    close: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill();
    }),
  };
}

/**
 * Sends `text` (latin1) on a new connection to 127.0.0.1:port and resolves to the answer:
 * { status, headers (lower-case names; arrays for repeats), body (Buffer), raw } with 1xx
 * interim answers skipped, or { status: null } when the connection closed unanswered.
 * The connection is read until the server closes it or the body's length is complete.
 * `abortAfter`: 'sent' destroys the socket right after writing, 'first-data' at the first
 * bytes of the answer (both resolve to { aborted: true }).
 */
export function rawRequest(port, text, { abortAfter = null, host = '127.0.0.1' } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host });
    const chunks = [];
    let done = false;
    const finish = (result) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(result);
    };
    // A hang guard, not a timing assertion: an answer that never comes fails the test.
    socket.setTimeout(20_000, () => {
      if (!done) { done = true; socket.destroy(); reject(new Error(`no answer within 20 s to ${JSON.stringify(text.slice(0, 200))}`)); }
    });
    socket.on('error', (error) => {
      if (abortAfter) return finish({ aborted: true });
      // Reset by the server after an answer (e.g. a 431 on a huge request still being sent).
      const parsed = parseResponse(Buffer.concat(chunks));
      if (parsed) return finish(parsed);
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return finish({ status: null });
      if (!done) { done = true; reject(error); }
    });
    socket.on('connect', () => {
      socket.write(Buffer.from(text, 'latin1'));
      if (abortAfter === 'sent') finish({ aborted: true });
    });
    let received = 0;
    let head = null; // the answer's head once parsed, with the length its body will have
    socket.on('data', (data) => {
      if (abortAfter === 'first-data') return finish({ aborted: true });
      chunks.push(data);
      received += data.length;
      // Parsing is cheap for heads and small bodies; a long body is only counted.
      if (!head || head.length === null) {
        head = parseResponse(Buffer.concat(chunks));
        if (head?.complete) return finish(head);
        if (head) head.length = head.headers['content-length'] === undefined ? null : Number(head.headers['content-length']);
      } else if (received - head.offset >= head.length) {
        finish(parseResponse(Buffer.concat(chunks)));
      }
    });
    socket.on('close', () => finish(parseResponse(Buffer.concat(chunks)) ?? { status: null }));
  });
}

function parseResponse(buffer) {
  let start = 0;
  for (;;) {
    const end = buffer.indexOf('\r\n\r\n', start);
    if (end < 0) return null;
    const lines = buffer.subarray(start, end).toString('latin1').split('\r\n');
    const match = lines[0].match(/^HTTP\/1\.1 (\d{3}) /);
    if (!match) return { status: NaN, raw: lines[0], headers: {}, body: Buffer.alloc(0), complete: true };
    const status = Number(match[1]);
    if (status >= 100 && status < 200) { start = end + 4; continue; }
    const headers = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? [].concat(headers[name], value) : value;
    }
    const rest = buffer.subarray(end + 4);
    if (headers['transfer-encoding'] === 'chunked') return { status, headers, raw: lines[0], offset: end + 4, ...dechunk(rest) };
    const length = headers['content-length'] === undefined ? null : Number(headers['content-length']);
    return { status, headers, body: rest, raw: lines[0], offset: end + 4, complete: length !== null && rest.length >= length };
  }
}

/** A chunked body -> { body, complete } (complete once the last, empty chunk arrived). */
function dechunk(buffer) {
  const parts = [];
  let at = 0;
  for (;;) {
    const line = buffer.indexOf('\r\n', at);
    if (line < 0) return { body: Buffer.concat(parts), complete: false };
    const size = parseInt(buffer.subarray(at, line).toString('latin1'), 16);
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    if (!(size > 0) || buffer.length < line + 2 + size + 2) return { body: Buffer.concat(parts), complete: false };
    parts.push(buffer.subarray(line + 2, line + 2 + size));
    at = line + 2 + size + 2;
  }
}

/** A well-formed request for `target`. */
export function requestText(port, target, { method = 'GET', host = `127.0.0.1:${port}`, headers = {} } = {}) {
  const lines = [`${method} ${target} HTTP/1.1`];
  if (host !== null) lines.push(`Host: ${host}`);
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push('Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** GET (or `method`) `target` on the server and check the answer (checkAnswer). */
export async function get(server, target, options = {}) {
  const answer = await rawRequest(server.port, requestText(server.port, target, options));
  checkAnswer(server, target, answer);
  return answer;
}

// Node's own answers to requests it cannot parse (400, 431, 417 for an unknown Expect) carry
// no body; every other answer comes from the handler.
const VALID = new Set([200, 204, 301, 400, 404, 405, 414, 417, 421, 431]);
const FIXED_TEXTS = new Set(Object.values(ERROR_TEXTS).map((text) => `${text}\n`));
export const CSP_DIRECTIVES = ["default-src 'none'", "script-src 'self' 'wasm-unsafe-eval'", "frame-ancestors 'none'"];

/**
 * What every answer must be: a known status; with a body, the security headers and a fixed
 * plain-text error text that never contains SECRET; a Location, only relative and resolving
 * to the same origin.
 */
export function checkAnswer(server, target, answer) {
  const what = `${JSON.stringify(target.slice(0, 300))} -> ${answer.raw ?? answer.status}`;
  assert.ok(VALID.has(answer.status), `an answer with a valid status for ${what}`);
  assert.ok(!answer.body.includes(SECRET), `nothing outside the allowed roots for ${what}`);
  const { headers } = answer;
  if (answer.body.length > 0 || headers['content-security-policy'] || answer.status === 200) {
    assert.equal(headers['x-content-type-options'], 'nosniff', `nosniff for ${what}`);
    for (const directive of CSP_DIRECTIVES) assert.ok(String(headers['content-security-policy']).includes(directive), `CSP ${directive} for ${what}`);
  }
  if (answer.status !== 200 && answer.body.length > 0) {
    assert.equal(headers['content-type'], 'text/plain; charset=utf-8', `plain-text error for ${what}`);
    assert.ok(FIXED_TEXTS.has(answer.body.toString('latin1')), `a fixed error text, no echo, for ${what}`);
  }
  if ('location' in headers) {
    const location = headers.location;
    assert.equal(typeof location, 'string', `one Location for ${what}`);
    assert.match(location, /^\.\/[A-Za-z0-9%/._~!*'()-]*$/, `a relative, percent-encoded Location for ${what}`);
    const base = new URL(target.startsWith('/') && !target.startsWith('//') ? target : '/', server.origin);
    assert.equal(new URL(location, base).origin, server.origin, `a same-origin Location for ${what}`);
  }
}

/** The number of open file descriptors of a process, or null where /proc is missing. */
export function openFiles(pid) {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}
