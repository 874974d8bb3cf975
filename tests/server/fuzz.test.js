// A bounded, seeded fuzz of the dev server on 127.0.0.1: random paths (built from the names
// of allowed and forbidden files, dot segments, encoded slashes, bad escapes, odd Unicode),
// methods, versions, Host values and other headers, raw garbage request lines, and clients
// leaving mid-answer. The server must never die, always answer with a valid status, never
// serve a file outside the allowed roots or to a Host that is not its own, and never send a
// Location leaving the origin (helpers.js, checkAnswer).
//   GMMHMM_SERVE_FUZZ_SEED, GMMHMM_SERVE_FUZZ_RUNS: another seed, another number of requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PUBLIC, ODD_FOLDERS, serveFixture, rawRequest, get, checkAnswer } from './helpers.js';

const SEED = Number(process.env.GMMHMM_SERVE_FUZZ_SEED ?? 13);
const RUNS = Number(process.env.GMMHMM_SERVE_FUZZ_RUNS ?? 3000);
const PARALLEL = 8;

/** mulberry32: a small seeded generator, so that a failure can be replayed from its seed. */
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  const chance = (p) => next() < p;
  const chars = (alphabet, n) => Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join('');
  const bytes = (n, lo = 0, hi = 256) => String.fromCharCode(...Array.from({ length: n }, () => lo + int(hi - lo)));
  return { int, pick, chance, chars, bytes };
}

const ALLOWED_NAMES = ['web', 'demo', 'js', 'main.js', 'index.js', 'ready.js', 'lib', 'errors.js', 'dist', 'big.wasm', 'package.json', 'index.html', 'samples', 'manifest.json', 'alias.js', ...ODD_FOLDERS.map(encodeURIComponent)];
const FORBIDDEN_NAMES = ['.git', 'config', 'HEAD', '.env', 'build', 'native', 'core.o', 'CMakeLists.txt', 'README.md', 'node_modules', 'pkg', 'scripts', 'serve.js', 'cpp', 'cli', 'gmmhmm.js', 'index.d.ts', '.hidden', 'secret.js', 'out', 'secret.txt', 'passwd.txt', 'sub', 'git', 'cmake.js', 'fifo.js'];
const TRICKS = ['..', '.', '', '%2e%2e', '%2E', '.%2e', '%2F', '%5C', '\\', '%00', '%', '%zz', '%E2%82%AC', '%C0%AF', '%ED%A0%80', '%FF', '//evil.example', '%2F%2Fevil.example%2F..%2Fweb', '\\\\evil.example', '?x=1', '#f', ';x', '%20', '%0d%0aSet-Cookie:%20a=b', '%01', '~', '*'];
const PRINTABLE = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&\'()*+,;=:@%/?#[]"<>\\^`{|} ';
const METHODS = ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'PRI', 'get', 'G ET', '', 'GET\0', 'HEAD '];
const VERSIONS = ['HTTP/1.0', 'HTTP/2.0', 'HTTP/1.2', 'HTTP/0.9', 'http/1.1', 'HTTP/1.1 x', '', 'HTTP/11', 'HTTP/1.1\0'];

function randomSegment(r) {
  const kind = r.int(20);
  if (kind < 11) return r.pick(ALLOWED_NAMES);
  if (kind < 15) return r.pick(FORBIDDEN_NAMES);
  if (kind < 18) return r.pick(TRICKS);
  if (kind === 18) return r.chars(PRINTABLE, 1 + r.int(12));
  return Array.from({ length: 1 + r.int(6) }, () => `%${r.int(256).toString(16).padStart(2, '0')}`).join('');
}

// Paths that exist in the fixture: mutated, they probe the edges of what is served.
const GOOD_PATHS = [
  '/', '/web/demo', '/web/demo/', '/demo/', '/web/demo/js/main.js', '/web/lib/errors.js', '/lib/errors.js', '/index.js',
  '/web/ready.js', '/package.json', '/web/demo/samples/manifest.json', '/web/demo/alias.js',
  ...ODD_FOLDERS.map((name) => `/web/demo/${encodeURIComponent(name)}/`),
];

/** A good path with one to three changes: a segment replaced, inserted or dropped, a
 *  character percent-encoded, a slash doubled or dropped at the end. */
function mutatedPath(r) {
  const segments = r.pick(GOOD_PATHS).split('/').slice(1);
  for (let n = 1 + r.int(3); n > 0; n--) {
    const at = r.int(segments.length + 1);
    switch (r.int(6)) {
      case 0: segments[Math.min(at, segments.length - 1)] = randomSegment(r); break;
      case 1: segments.splice(at, 0, randomSegment(r)); break;
      case 2: segments.splice(Math.min(at, segments.length - 1), 1); break;
      case 3: {
        const i = Math.min(at, segments.length - 1);
        const word = segments[i] ?? '';
        const c = r.int(Math.max(word.length, 1));
        const hex = word.charCodeAt(c).toString(16).padStart(2, '0');
        if (word) segments[i] = `${word.slice(0, c)}%${r.chance(0.5) ? hex : hex.toUpperCase()}${word.slice(c + 1)}`;
        break;
      }
      case 4: segments.splice(at, 0, ''); break;
      default: if (segments.at(-1) === '') segments.pop(); else segments.push('');
    }
  }
  return `/${segments.join('/')}`;
}

function randomTarget(r) {
  if (r.chance(0.03)) return r.pick(['*', '', 'http://evil.example/web/demo/', `http://127.0.0.1/web/demo/`, 'evil.example:80', '/'.repeat(1 + r.int(3000))]);
  if (r.chance(0.4)) return mutatedPath(r);
  let target = '/' + Array.from({ length: r.int(6) }, () => randomSegment(r)).join('/');
  if (r.chance(0.3)) target += '/';
  if (r.chance(0.02)) target += 'a'.repeat(r.int(20_000));
  return target;
}

/** { text, target, hostOk, parsed } for one request; hostOk: it names this server. */
function randomRequest(r, port) {
  // Garbage, starting with a byte that is no line ending: the server rightly waits for a
  // request after empty lines (RFC 9112, 2.2), so '\r\r\n\r\n' would get no answer.
  if (r.chance(0.04)) return { text: `${r.pick(['G', 'x', '<', '\u0001', '\u007f', '\u00ff', ' ', '\t'])}${r.bytes(r.int(200))}\r\n\r\n`, target: '/', hostOk: false };
  const method = r.chance(0.85) ? (r.chance(0.8) ? 'GET' : 'HEAD') : r.pick(METHODS);
  const target = randomTarget(r);
  const version = r.chance(0.85) ? 'HTTP/1.1' : r.pick(VERSIONS);
  const lines = [`${method} ${target} ${version}`.trimEnd()];
  const goodHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  let hostOk = false;
  if (r.chance(0.75)) {
    lines.push(`Host: ${r.pick(goodHosts)}`);
    hostOk = true;
  } else {
    const bad = r.pick(['evil.example', `evil.example:${port}`, '127.0.0.1:1', '', `127.0.0.1:${port}:${port}`, `${r.chars(PRINTABLE, 1 + r.int(30))}`, null, 'dup']);
    if (bad === 'dup') lines.push(`Host: ${goodHosts[0]}`, 'Host: evil.example');
    else if (bad !== null) lines.push(`Host: ${bad}`);
  }
  let body = '';
  for (let i = r.int(3); i > 0; i--) {
    switch (r.int(9)) {
      case 0: lines.push(`Range: ${r.pick(['bytes=0-9', 'bytes=-5', 'bytes=9-0', 'bytes=0-0,1-1', 'bytes=99999999999999999999-', 'items=1-2', 'bytes='])}`); break;
      case 1: lines.push('Transfer-Encoding: chunked'); body = '0\r\n\r\n'; break;
      case 2: { const n = r.int(64); lines.push(`Content-Length: ${n}`); body = r.chars(PRINTABLE, n); break; }
      case 3: lines.push(r.pick(['Expect: 100-continue', 'Expect: bogus'])); break;
      case 4: lines.push('Upgrade: websocket', 'Connection: Upgrade'); break;
      case 5: lines.push(`X-Forwarded-Host: evil.example`, `Forwarded: host=evil.example`); break;
      case 6: lines.push(`${r.chars('abcdefghijklmnopqrstuvwxyz-', 1 + r.int(20))}: ${r.bytes(r.int(40), 32, 256)}`); break;
      case 7: lines.push(`${r.bytes(1 + r.int(10), 1, 256)}: x`); break;
      default: lines.push(`Cookie: ${'c'.repeat(r.int(30_000))}`);
    }
  }
  lines.push('Connection: close');
  return { text: `${lines.join('\r\n')}\r\n\r\n${body}`, target, hostOk };
}

let server;
before(async () => {
  server = await serveFixture();
});
after(() => server?.close());

test(`${RUNS} random requests (seed ${SEED}): the server always answers validly, serves only allowed files to its own Host, and lives`, async () => {
  const r = generator(SEED);
  const requests = Array.from({ length: RUNS }, () => ({
    ...randomRequest(r, server.port),
    abortAfter: r.chance(0.05) ? r.pick(['sent', 'first-data']) : null,
  }));
  const statuses = {};
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const index = next++;
      const { text, target, hostOk, abortAfter } = requests[index];
      const replay = `seed ${SEED}, request ${index}: ${JSON.stringify(text.slice(0, 400))}`;
      let answer;
      try {
        answer = await rawRequest(server.port, text, { abortAfter });
        assert.ok(server.alive(), `the server died:\n${server.stderr()}`);
        if (answer.aborted) continue;
        assert.notEqual(answer.status, null, 'no answer');
        checkAnswer(server, target, answer);
      } catch (error) {
        error.message += `\n${replay}`;
        throw error;
      }
      if (answer.status === 200 || answer.status === 301) assert.ok(hostOk, `${answer.status} to a foreign Host: ${replay}`);
      if (answer.status === 200 && answer.body.length > 0) assert.ok(answer.body.includes(PUBLIC), `an allowed file: ${replay}`);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  console.log(`statuses: ${JSON.stringify(statuses)}`);
  // The fuzz reached the files and the refusals both, not only the parser's 400.
  for (const status of [200, 301, 400, 404, 405, 421]) assert.ok(statuses[status] > 0, `no ${status} among ${JSON.stringify(statuses)}`);
  assert.ok(server.alive());
  assert.equal((await get(server, '/web/demo/')).status, 200);
  assert.equal(server.stderr(), '');
});
