// The dev server (scripts/serve.js) against each kind of request the red team of issue 13
// broke it with, on a fixture checkout (odd folder names, symlinks out, secrets next to the
// allowed files) and on this repository. Every answer also goes through checkAnswer(): a
// valid status, the security headers, a fixed error text, no secret, no off-site Location.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import {
  REPOSITORY, PUBLIC, ODD_FOLDERS, serveFixture, startServe, rawRequest, requestText, get, checkAnswer, openFiles,
} from './helpers.js';

/** The server still runs, answers, and has written nothing to stderr. */
async function assertServing(server) {
  assert.ok(server.alive(), `the server died:\n${server.stderr()}`);
  assert.equal((await get(server, '/web/demo/')).status, 200);
  assert.equal(server.stderr(), '');
}

const text = (answer) => answer.body.toString('utf8');
const statusOf = async (server, target, options) => (await get(server, target, options)).status;

describe('dev server on a fixture checkout', () => {
  let server;
  before(async () => {
    server = await serveFixture();
  });
  after(() => server?.close());

  test('a folder named with characters above U+00FF, control characters or CR LF: a relative, percent-encoded redirect, and the server lives', async () => {
    for (const name of ODD_FOLDERS) {
      const target = `/web/demo/${encodeURIComponent(name)}`;
      for (const method of ['GET', 'HEAD']) {
        const answer = await get(server, target, { method });
        assert.equal(answer.status, 301, `${method} ${JSON.stringify(name)}`);
        assert.equal(answer.headers.location, `./${encodeURIComponent(name)}/`);
        assert.equal(answer.headers['set-cookie'], undefined);
      }
      const index = await get(server, `${target}/`);
      assert.equal(index.status, 200, JSON.stringify(name));
      assert.equal(text(index), `${PUBLIC} ${JSON.stringify(name)}\n`);
    }
    await assertServing(server);
  });

  test('only the demo and the package files: .git, build internals, sources, the CLI and dotfiles are not served, however spelled', async () => {
    const refused = [
      '/.git', '/.git/', '/.git/config', '/.git/HEAD', '/.env', '/CMakeLists.txt', '/README.md', '/build/', '/build/native/core.o',
      '/build/asan/CMakeCache.txt', '/node_modules/pkg/index.js', '/scripts/serve.js', '/cpp/src/model.cpp', '/web/index.d.ts',
      '/web/cli/gmmhmm.js', '/web/demo/.hidden', '/web/demo/.git/config', '/web/secret.js', '/web/.env', '/web/', '/web',
      '/secret.js', '/cli/gmmhmm.js', '/index.d.ts', '/%2egit/config', '/%2Egit/HEAD', '/web/%2e%2e/.git/config',
      '/web/demo/%2e%2e/%2e%2e/CMakeLists.txt', '/web/../.git/config', '/web/demo/../../CMakeLists.txt', '/./.git/config',
      '/web/demo/..%2f..%2fCMakeLists.txt', '/web/demo/..%5C..%5CCMakeLists.txt', '/web//demo/../../.git/config',
      '/web/demo/js/main.js/', '/web/demo/index.html/..', '/demo/./../../.git/config', '/web/package.json',
    ];
    for (const target of refused) assert.ok([400, 404].includes(await statusOf(server, target)), target);
    const served = [
      '/package.json', '/web/index.js', '/index.js', '/web/ready.js', '/web/lib/errors.js', '/lib/errors.js', '/web/demo/',
      '/demo/', '/web/demo/js/main.js', '/demo/samples/manifest.json', '/web/demo/index.html?x=1#y',
    ];
    for (const target of served) {
      const answer = await get(server, target);
      assert.equal(answer.status, 200, target);
      assert.ok(text(answer).includes(PUBLIC), target);
    }
    const big = await get(server, '/dist/big.wasm', { method: 'HEAD' });
    assert.equal(big.status, 200);
    assert.equal(big.headers['content-type'], 'application/wasm');
    assert.equal(Number(big.headers['content-length']), 8 << 20);
    assert.equal(big.body.length, 0);
    await assertServing(server);
  });

  test('symlinks are followed only while they stay inside their allowed root', async () => {
    for (const target of [
      '/web/demo/out', '/web/demo/out/', '/web/demo/out/secret.txt', '/web/demo/passwd.txt', '/web/demo/sub', '/web/demo/sub/',
      '/web/demo/sub/index.html', '/web/demo/git/config', '/web/lib/cmake.js', '/web/lib/demo/index.html', '/lib/demo/',
    ]) assert.equal(await statusOf(server, target), 404, target);
    const inside = await get(server, '/web/demo/alias.js');
    assert.equal(inside.status, 200);
    assert.equal(text(inside), `// ${PUBLIC} web/demo/js/main.js\n`);
    await assertServing(server);
  });

  test('the Host header must name this server on its port (DNS rebinding)', async () => {
    const { port } = server;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      assert.equal(await statusOf(server, '/web/demo/', { host }), 200, host);
    }
    for (const host of [
      'evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', 'localhost', `localhost.:${port}`,
      `127.0.0.1.evil.example:${port}`, `evil.example:${port}@127.0.0.1`, `[::1]:${port}x`, `127.0.0.1:0${port}`, `127.1:${port}`,
      `[::ffff:127.0.0.1]:${port}`, '',
    ]) {
      const answer = await get(server, '/web/demo/', { host });
      assert.equal(answer.status, 421, JSON.stringify(host));
      assert.ok(!text(answer).includes(PUBLIC));
    }
    // Two Host headers, one of them ours.
    assert.equal(await statusOf(server, '/web/demo/', { headers: { Host: 'evil.example' } }), 421);
    // HTTP/1.0 may omit Host; a request without one names nobody.
    const bare = await rawRequest(port, 'GET /web/demo/ HTTP/1.0\r\n\r\n');
    checkAnswer(server, '/web/demo/', bare);
    assert.equal(bare.status, 421);
    await assertServing(server);
  });

  test('no redirect leaves the origin; redirects are relative', async () => {
    const targets = [
      '/%2F%2Fevil.example%2F..%2Fweb', '//evil.example/web/demo', '//evil.example/..%2Fweb', '/%5C%5Cevil.example/web',
      '/web/demo/%2F%2Fevil.example', '///evil.example/web', '/web/demo//evil.example', '/\\evil.example/web', '/%09/evil.example',
      '/web/demo/%2F%2Fevil.example%2F..%2F..%2Fdemo', 'http://evil.example/web/demo', '//127.0.0.1/web/demo',
      '/web', '/web/demo', '/demo', '/', '/web/demo/out', `/web/demo/${encodeURIComponent('//evil.example')}`,
    ];
    for (const target of targets) await get(server, target); // checkAnswer: any Location is './…' and same-origin
    assert.equal(await statusOf(server, '/%2F%2Fevil.example%2F..%2Fweb'), 400);
    assert.equal(await statusOf(server, 'http://evil.example/web/demo/'), 400);
    assert.equal((await get(server, '/')).headers.location, './web/demo/');
    assert.equal((await get(server, '/web/demo')).headers.location, './demo/');
    assert.equal((await get(server, '/demo')).headers.location, './demo/');
    await assertServing(server);
  });

  test('errors are fixed plain text with nosniff and CSP: the request is never echoed', async () => {
    const attacks = [
      '/%3Cscript%3Ealert(1)%3C/script%3E', '/web/demo/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E.html', '/<svg/onload=alert(1)>',
      '/web/demo/nothing-%22here%22.html', '/%zz%3Cscript%3E', `/${'%3Cscript%3E'.repeat(400)}`,
    ];
    for (const target of attacks) {
      for (const options of [{}, { method: 'POST' }, { host: 'evil<script>' }]) {
        const answer = await get(server, target, options);
        assert.ok([400, 404, 405, 414, 421].includes(answer.status), target);
        assert.ok(answer.body.length > 0);
        assert.doesNotMatch(text(answer), /script|alert|<|%3C|here/i, target);
      }
    }
    await assertServing(server);
  });

  test('every answer carries the security headers; the CSP allows what the demo needs and nothing more', async () => {
    const answers = await Promise.all(['/web/demo/', '/web/demo/js/main.js', '/nothing', '/%zz', '/web/demo'].map((t) => get(server, t)));
    answers.push(await get(server, '/web/demo/', { method: 'DELETE' }), await get(server, '/web/demo/', { host: 'evil.example' }));
    for (const { headers } of answers) {
      const csp = headers['content-security-policy'];
      assert.equal(headers['x-content-type-options'], 'nosniff');
      assert.equal(headers['referrer-policy'], 'no-referrer');
      assert.equal(headers['cross-origin-opener-policy'], 'same-origin');
      assert.equal(headers['cross-origin-resource-policy'], 'same-origin');
      assert.equal(headers['cache-control'], 'no-store');
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
      assert.deepEqual(directives['default-src'], ["'none'"]);
      assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
      assert.deepEqual(directives['worker-src'], ["'self'"]);
      assert.deepEqual(directives['connect-src'], ["'self'"]);
      assert.deepEqual(directives['frame-ancestors'], ["'none'"]);
      assert.deepEqual(directives['base-uri'], ["'none'"]);
      for (const loose of ["'unsafe-eval'", "'unsafe-inline'", '*', 'blob:', 'http:', 'https:']) {
        assert.ok(!Object.values(directives).flat().includes(loose), `${loose} in ${csp}`);
      }
    }
  });

  test('methods other than GET and HEAD get 405 with Allow; HEAD has the headers of GET and no body', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL', 'PURGE']) {
      const answer = await get(server, '/web/demo/', { method, headers: { 'Content-Length': '0' } });
      assert.equal(answer.status, 405, method);
      assert.equal(answer.headers.allow, 'GET, HEAD');
    }
    const connect = await rawRequest(server.port, `CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
    checkAnswer(server, '/', connect);
    assert.equal(connect.status, 405);
    assert.equal(connect.headers.allow, 'GET, HEAD');
    const options = await rawRequest(server.port, requestText(server.port, '*', { method: 'OPTIONS' }));
    assert.equal(options.status, 405);
    const [full, head] = await Promise.all(['GET', 'HEAD'].map((method) => get(server, '/web/demo/js/main.js', { method })));
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.equal(head.headers['content-length'], full.headers['content-length']);
    assert.equal(head.headers['content-type'], 'text/javascript; charset=utf-8');
    await assertServing(server);
  });

  test('malformed percent-encoding and NUL bytes are 400, never a throw', async () => {
    for (const target of [
      '/%', '/web/demo/%', '/%zz', '/%E0%A4%A', '/%C0%AF', '/%FF', '/%ED%A0%80', '/web/%E2%82/demo/', '/web/demo/%2',
      '/web/demo/index.html%00.js', '/%00', '/web/demo/%00/', '/web/%00demo/',
    ]) assert.equal(await statusOf(server, target), 400, target);
    // Raw NUL and control bytes in the request line: refused by Node's parser.
    for (const raw of ['/web/demo/\0index.html', '/web/demo/\u0001', '/web/demo/\u00e9']) {
      const answer = await rawRequest(server.port, requestText(server.port, raw));
      checkAnswer(server, '/', answer);
      assert.equal(answer.status, 400, JSON.stringify(raw));
    }
    await assertServing(server);
  });

  test('very long URLs and headers: 414 or 431, and the server lives', async () => {
    assert.equal(await statusOf(server, `/web/demo/${'a'.repeat(3000)}`), 414);
    assert.equal(await statusOf(server, `/web/demo/${'%41'.repeat(1000)}`), 414);
    for (const answer of await Promise.all([
      rawRequest(server.port, requestText(server.port, `/web/demo/${'a'.repeat(100_000)}`)),
      rawRequest(server.port, requestText(server.port, '/web/demo/', { headers: { Cookie: 'c'.repeat(100_000) } })),
      rawRequest(server.port, requestText(server.port, '/web/demo/', { headers: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`X-${i}`, 'v'])) })),
    ])) {
      checkAnswer(server, '/', answer);
      assert.equal(answer.status, 431);
    }
    await assertServing(server);
  });

  test('Range requests, well-formed or not, get the whole file with 200', async () => {
    const whole = await get(server, '/web/demo/js/main.js');
    for (const range of ['bytes=0-9', 'bytes=-5', 'bytes=5-', 'bytes=9-0', 'bytes=0-0,1-1', 'bytes=99999999999999999999-', 'items=1-2', 'bytes=', 'bytes=0-9'.repeat(500)]) {
      const answer = await get(server, '/web/demo/js/main.js', { headers: { Range: range, 'If-Range': 'x' } });
      assert.equal(answer.status, 200, range);
      assert.equal(answer.headers['accept-ranges'], 'none');
      assert.deepEqual(answer.body, whole.body, range);
    }
    await assertServing(server);
  });

  test('a FIFO in an allowed folder is 404, not a hang', async () => {
    assert.equal(await statusOf(server, '/web/demo/fifo.js'), 404);
    await assertServing(server);
  });

  test('clients that leave mid-download do not crash the server or leave files open', async () => {
    await assertServing(server);
    const baseline = openFiles(server.child.pid);
    const big = requestText(server.port, '/web/dist/big.wasm');
    await Promise.all([
      ...Array.from({ length: 48 }, () => rawRequest(server.port, big, { abortAfter: 'first-data' })),
      ...Array.from({ length: 48 }, () => rawRequest(server.port, big, { abortAfter: 'sent' })),
      ...Array.from({ length: 16 }, () => rawRequest(server.port, big.slice(0, 30), { abortAfter: 'sent' })),
    ]);
    const whole = await get(server, '/web/dist/big.wasm');
    assert.equal(whole.body.length, 8 << 20);
    if (baseline === null) {
      console.log('/proc is missing: open files after aborted downloads not checked');
    } else {
      // The server closes the aborted streams' files as their sockets close: wait for that
      // (a bounded poll, not a timing assertion), then compare.
      let open = openFiles(server.child.pid);
      for (let i = 0; i < 200 && open > baseline; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        open = openFiles(server.child.pid);
      }
      assert.ok(open <= baseline, `open files: ${open} after the aborts, ${baseline} before`);
    }
    await assertServing(server);
  });
});

describe('dev server on this repository', () => {
  let server;
  before(async () => {
    server = await startServe();
  });
  after(() => server?.close());

  test('prints a 127.0.0.1 address and listens on no other interface', async () => {
    assert.equal(server.host, '127.0.0.1');
    assert.match(server.stdout(), /^gmmhmm demo: http:\/\/127\.0\.0\.1:\d+\/web\/demo\/$/m);
    const others = Object.values(os.networkInterfaces()).flat().filter((a) => a && !a.internal && a.family === 'IPv4');
    if (others.length === 0) console.log('no non-loopback IPv4 interface here: only the printed address is checked');
    for (const { address } of others) {
      const error = await new Promise((resolve) => {
        const socket = net.connect({ host: address, port: server.port }, () => { socket.destroy(); resolve(null); });
        socket.on('error', resolve);
      });
      assert.equal(error?.code, 'ECONNREFUSED', `connecting to ${address}:${server.port}`);
    }
  });

  test('serves what the demo page and the browser tests fetch, with their types', async () => {
    const types = {
      '/web/demo/': 'text/html', '/demo/': 'text/html', '/demo/style.css': 'text/css', '/demo/js/main.js': 'text/javascript',
      '/lib/capture-worklet.js': 'text/javascript', '/index.js': 'text/javascript', '/web/index.js': 'text/javascript',
      '/lib/train-worker.js': 'text/javascript', '/web/lib/loader.js': 'text/javascript', '/package.json': 'application/json',
    };
    const built = {
      '/dist/gmmhmm-simd.js': 'text/javascript', '/web/dist/gmmhmm-simd.wasm': 'application/wasm',
      '/web/dist/gmmhmm-nosimd.wasm': 'application/wasm', '/web/dist/gmmhmm-simd.single.js': 'text/javascript',
      '/demo/samples/manifest.json': 'application/json',
    };
    for (const [target, type] of Object.entries(built)) {
      const file = path.join(REPOSITORY, 'web', target.replace(/^\/(web\/)?/, ''));
      if (fs.existsSync(file)) types[target] = type;
      else console.log(`${file} is not built: not checked (scripts/build.sh wasm, scripts/make-samples.sh)`);
    }
    for (const [target, type] of Object.entries(types)) {
      const answer = await get(server, target, { method: 'HEAD' });
      assert.equal(answer.status, 200, target);
      assert.equal(answer.headers['content-type'].split(';')[0], type, target);
    }
  });

  test('refuses .git, build output, sources, scripts, node_modules and files outside the allow-list', async () => {
    for (const target of [
      '/.git', '/.git/', '/.git/config', '/.git/HEAD', '/.gitignore', '/CMakeLists.txt', '/README.md', '/package-lock.json',
      '/scripts/serve.js', '/scripts/setup.sh', '/cpp/', '/tests/server/helpers.js', '/build/', '/build/native/CMakeCache.txt',
      '/node_modules/playwright-core/package.json', '/web/cli/gmmhmm.js', '/web/index.d.ts', '/.ci/run', '/LICENSE',
    ]) {
      const answer = await get(server, target);
      assert.equal(answer.status, 404, target);
    }
    assert.ok(server.alive());
    assert.equal(server.stderr(), '');
  });
});

describe('dev server options', () => {
  test('--host binds another address and the Host check follows it', async (t) => {
    let server;
    try {
      server = await startServe(['--host', '127.0.0.2']);
    } catch (error) {
      if (!/EADDRNOTAVAIL/.test(error.message)) throw error;
      return t.skip('127.0.0.2 cannot be bound here (EADDRNOTAVAIL)');
    }
    try {
      assert.equal(server.host, '127.0.0.2');
      const answer = await rawRequest(server.port, requestText(server.port, '/web/demo/', { host: `127.0.0.2:${server.port}` }), { host: '127.0.0.2' });
      assert.equal(answer.status, 200);
      const evil = await rawRequest(server.port, requestText(server.port, '/web/demo/', { host: `evil.example:${server.port}` }), { host: '127.0.0.2' });
      assert.equal(evil.status, 421);
    } finally {
      await server.close();
    }
  });

  test('a --host that is not an address, or a bad --port, is refused with a message', async () => {
    const cases = [['--host', 'evil.example'], ['--host', ''], ['--port', '70000'], ['--port', 'x'], ['--bogus']];
    await Promise.all(cases.map(async (args) => {
      const run = await new Promise((resolve) => {
        execFile(process.execPath, [path.join(REPOSITORY, 'scripts/serve.js'), '--no-build', ...args], (error, stdout, stderr) => resolve({ code: error?.code ?? 0, stderr }));
      });
      assert.notEqual(run.code, 0, args.join(' '));
      assert.match(run.stderr, /serve\.js: /, args.join(' '));
    }));
  });
});
