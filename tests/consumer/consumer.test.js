// The package as a new user meets it: packed with npm pack, installed from the tarball into a
// folder of its own next to the tools a web developer uses (tests/consumer/install.js, one
// install for the whole suite), then used from Node (ES modules, CommonJS), TypeScript and
// each bundler. Every browser build runs in Chromium and recognises a word with two training
// Workers (app/app.js: prepareWorkers() must report them ready, so the in-thread path cannot
// pass for them). The ways a site gets the files wrong end in a GmmHmmError 'load' that names
// the file or the Content-Security-Policy directive.
//
//   node --test tests/consumer/        (npm test runs it as the suite "consumer")
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { launch, skipReason } from '../browser/harness.js';
import { TYPES_DIR, expectedErrors, runTsc } from '../types/check.js';
import { ROOT, install, scenario } from './install.js';
import { serveStatic } from './static-server.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const APP = ['app.js', 'words.js'].map((f) => [f, fs.readFileSync(path.join(HERE, 'app', f), 'utf8')]);
// The same app on 'gmmhmm/words' (the words-only build).
const WORDS_APP = APP.map(([f, text]) => [f, f === 'app.js' ? text.replace("from 'gmmhmm';", "from 'gmmhmm/words';") : text]);
assert.notEqual(WORDS_APP[0][1], APP[0][1], "app.js imports from 'gmmhmm'");
const BUILD_SCRIPT = (name) => fs.readFileSync(path.join(HERE, 'builds', name), 'utf8');
const noBrowser = skipReason();
if (noBrowser) console.log(`# ${noBrowser}`);

/** The README's line for bundlers that do not emit the files (esbuild, Rollup), run as it is written. */
export const COPY_LINE = 'cp node_modules/gmmhmm/web/dist/{capture-worklet.js,gmmhmm-simd.wasm,gmmhmm-nosimd.wasm,train-worker.js,gmmhmm-shared.js} dist/';
/** The same for 'gmmhmm/words'. */
export const WORDS_COPY_LINE = 'cp node_modules/gmmhmm/web/dist/{capture-worklet.js,gmmhmm-words-simd.wasm,gmmhmm-words-nosimd.wasm,words-worker.js,gmmhmm-words-shared.js} dist/';
/** The README's one line for Vite's dev server. */
export const VITE_DEV_LINE = "optimizeDeps: { exclude: ['gmmhmm'] }";
/** The README's line that keeps webpack's size hint (any asset over 244 KiB) off the .wasm. */
export const WEBPACK_LINE = "performance: { assetFilter: (file) => !file.endsWith('.wasm') }";

// (The data: icon keeps the browser from asking for /favicon.ico: every failed request counts.)
const page = (script, head = '') => `<!doctype html><html><head><meta charset="utf-8"><title>consumer</title><link rel="icon" href="data:,">${head}</head><body>${script}</body></html>`;

/** Runs `node script` in `cwd`; returns the JSON of its last output line. */
function runNode(cwd, script, args = []) {
  let out;
  try {
    out = execFileSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  } catch (error) {
    assert.fail(`node ${script} failed:\n${error.stdout}\n${error.stderr}`);
  }
  return JSON.parse(out.trim().split('\n').pop());
}

describe('the packed package in fresh folders', { timeout: 900_000 }, () => {
  let installed;
  let browser;

  before(async () => {
    installed = install();
    if (!noBrowser) browser = await launch();
  });
  after(async () => {
    await browser?.context.close();
  });

  /**
   * Opens `url`, waits for the app's result; returns it with the training workers seen, the
   * page's errors and what it downloaded ({ files, bytes, gzip }: measured, not asserted).
   */
  async function openApp(url, { manual = null } = {}) {
    const tab = await browser.context.newPage();
    // Asked as soon as a worker appears: the last Recognizer's dispose() ends them.
    const workerNames = [];
    tab.on('worker', (worker) => workerNames.push(worker.evaluate(() => globalThis.name).catch(() => '(gone)')));
    // Each URL once: the workers ask again for the modules the page has (their own module
    // maps), which a server that allows caching answers from the browser's cache.
    const bodies = new Map();
    const onResponse = (response) => {
      if (new URL(response.url()).origin === new URL(url).origin && !bodies.has(response.url())) {
        bodies.set(response.url(), response.body().catch(() => Buffer.alloc(0)));
      }
    };
    browser.context.on('response', onResponse);
    const errors = browser.errors.splice(0);
    try {
      await tab.goto(manual ? `${url}#manual` : url);
      let result;
      if (manual) {
        await tab.waitForFunction(() => globalThis.gmmhmmConsumer, null, { timeout: 60_000 });
        result = await tab.evaluate((options) => globalThis.gmmhmmConsumer.run(options), manual);
      } else {
        await tab.waitForFunction(() => globalThis.gmmhmmResult, null, { timeout: 180_000 });
        result = await tab.evaluate(() => globalThis.gmmhmmResult);
      }
      const names = await Promise.all(workerNames);
      const downloaded = await Promise.all(bodies.values());
      const download = {
        names: [...bodies.keys()].map((u) => new URL(u).pathname.split('/').pop()),
        files: downloaded.length,
        bytes: downloaded.reduce((n, b) => n + b.length, 0),
        gzip: downloaded.reduce((n, b) => n + zlib.gzipSync(b, { level: 9 }).length, 0),
      };
      return { result, workerNames: names, errors: browser.errors.splice(0), download };
    } finally {
      browser.context.off('response', onResponse);
      browser.errors.push(...errors);
      await tab.close();
    }
  }

  function assertRecognised({ result, workerNames, errors, download }, what) {
    console.log(`# ${what}: downloaded ${download.files} files, ${(download.bytes / 1024).toFixed(1)} KB (${(download.gzip / 1024).toFixed(1)} KB gzip -9), variant ${result.variant}`);
    assert.equal(result.ok, true, `${what}: ${result.message}`);
    assert.equal(result.label, 'down', `${what}: recognised ${result.label} (${result.reason})`);
    assert.equal(result.workersReady, 2, `${what}: training workers ready`);
    assert.deepEqual(workerNames.filter((n) => n === 'gmmhmm-training').length, 2, `${what}: workers ${workerNames}`);
    assert.deepEqual(errors, [], `${what}: console errors or failed requests`);
  }

  function assertLoadError(result, pattern, what) {
    assert.equal(result.ok, false, `${what}: expected an error`);
    assert.equal(result.gmmhmmError, true, `${what}: a GmmHmmError, got ${result.name}: ${result.message}`);
    assert.equal(result.code, 'load', `${what}: code ${result.code}: ${result.message}`);
    assert.match(result.message, pattern, what);
  }

  test('what npm packs: the entry points, the browser files, no single-file build in the default entry', () => {
    const files = new Set(installed.files);
    for (const f of ['web/index.js', 'web/dist/gmmhmm.js', 'web/dist/train-worker.js', 'web/dist/gmmhmm-shared.js', 'web/dist/gmmhmm-glue.js', 'web/dist/gmmhmm-simd.wasm',
      'web/dist/gmmhmm-nosimd.wasm', 'web/single-file.js', 'web/dist/gmmhmm-simd.embedded.js', 'web/index.d.ts', 'web/cli/gmmhmm.js',
      'web/words.js', 'web/words.d.ts', 'web/dist/gmmhmm-words.js', 'web/dist/words-worker.js', 'web/dist/gmmhmm-words-shared.js',
      'web/dist/gmmhmm-words-simd.wasm', 'web/dist/gmmhmm-words-nosimd.wasm']) {
      assert.ok(files.has(f), `${f} is not in the tarball`);
    }
    // The README's links to the evidence resolve in node_modules/gmmhmm too (a new user found them dead).
    const readme = fs.readFileSync(path.join(installed.root, 'node_modules/gmmhmm/README.md'), 'utf8');
    const linked = [...readme.matchAll(/\]\((docs\/[^)#\s]+)/g)].map((m) => m[1]);
    assert.ok(linked.length > 0, 'the README links to docs/');
    for (const f of linked) assert.ok(files.has(f), `the README links to ${f}, which is not in the tarball`);
    assert.ok(![...files].some((f) => /single\.js$|\.map$|^tests\/|^cpp\//.test(f)), `unexpected files: ${[...files].filter((f) => /single\.js$|^tests\/|^cpp\//.test(f))}`);
    for (const file of ['gmmhmm.js', 'gmmhmm-shared.js', 'train-worker.js', 'gmmhmm-words.js', 'gmmhmm-words-shared.js', 'words-worker.js']) {
      const bundle = fs.readFileSync(path.join(installed.root, 'node_modules/gmmhmm/web/dist', file), 'utf8');
      assert.doesNotMatch(bundle, /\.embedded\.js|single-file\.js/, `${file}: the browser entry must not reach the embedded builds`);
    }
  });

  test('every file the browser files fetch by URL or import: in web/dist, in the README copy line; those fetched by URL are subpath exports', () => {
    const pkgDir = path.join(installed.root, 'node_modules/gmmhmm');
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    const code = (file) => fs.readFileSync(path.join(pkgDir, 'web/dist', file), 'utf8');
    const bundles = ['gmmhmm.js', 'gmmhmm-shared.js'].map(code).join('\n');
    const fetched = [...new Set([...bundles.matchAll(/new URL\("\.\/([^"?]+)(?:\?[^"]*)?",import\.meta\.url\)/g)].map((m) => m[1]))];
    // The worker's script imports the shared chunk: it must be next to it too.
    const imported = [...code('train-worker.js').matchAll(/from"\.\/([^"]+)"/g)].map((m) => m[1]);
    const copied = COPY_LINE.match(/\{([^}]+)\}/)[1].split(',').sort();
    const wordsCopied = WORDS_COPY_LINE.match(/\{([^}]+)\}/)[1].split(',').sort();
    assert.deepEqual([...new Set([...fetched, ...imported])].sort(), copied);
    for (const file of copied) assert.ok(fs.existsSync(path.join(pkgDir, 'web/dist', file)), file);
    for (const file of fetched) assert.equal(pkg.exports[`./${file}`], `./web/dist/${file}`, `exports ./${file}`);
    // 'gmmhmm/words' fetches its own files, none of the whole package's.
    const wordsFetched = [...new Set([...['gmmhmm-words.js', 'gmmhmm-words-shared.js'].map(code).join('\n').matchAll(/new URL\("\.\/([^"?]+)(?:\?[^"]*)?",import\.meta\.url\)/g)].map((m) => m[1]))].sort();
    assert.deepEqual(wordsFetched, ['capture-worklet.js', 'gmmhmm-words-nosimd.wasm', 'gmmhmm-words-simd.wasm', 'words-worker.js']);
    const wordsImported = [...code('words-worker.js').matchAll(/from"\.\/([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual([...new Set([...wordsFetched, ...wordsImported])].sort(), wordsCopied);
    for (const file of wordsFetched) assert.equal(pkg.exports[`./${file}`], `./web/dist/${file}`, `exports ./${file}`);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.ok(readme.includes(COPY_LINE), 'the README shows the copy line');
    assert.ok(readme.includes(WORDS_COPY_LINE), 'the README shows the copy line of gmmhmm/words');
    assert.ok(readme.includes(VITE_DEV_LINE), "the README shows Vite's dev-server line");
    assert.ok(readme.includes(WEBPACK_LINE), "the README shows webpack's line");
    assert.ok(fs.readFileSync(path.join(HERE, 'builds/webpack.mjs'), 'utf8').includes(WEBPACK_LINE.replace('performance: ', 'config.performance = ')));
  });

  test('Node, ES modules: load, ready, single-file, a word recognised with worker_threads', () => {
    const dir = scenario(installed.root, 'node-esm', {
      'package.json': JSON.stringify({ type: 'module', private: true }),
      'main.mjs': fs.readFileSync(path.join(HERE, 'app/node-esm.mjs'), 'utf8'),
      'words.js': APP.find(([f]) => f === 'words.js')[1],
    });
    // The label, as in the browser scenarios: whether the recognizer then accepts a sixth
    // synthetic glide is its rejection rules' call (they follow the front end,
    // docs/robustness.md), not the package's.
    const { reason, ...result } = runNode(dir, 'main.mjs');
    assert.deepEqual(result, {
      simd: true, variant: 'simd', deltaColumns: 39, readySame: true, singleFile: true, singleVariant: 'nosimd', singleSame: true,
      workersReady: 2, label: 'down',
    }, `recognised ${result.label} (${reason})`);
  });

  test('CommonJS: require("gmmhmm") works in this Node (package.json engines), gmmhmm/ready through import()', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(installed.root, 'node_modules/gmmhmm/package.json'), 'utf8'));
    const [major, minor] = process.versions.node.split('.').map(Number);
    // The engines range is where require() of an ES module needs no flag: 20.19+ and 22.12+.
    assert.equal(pkg.engines.node, '^20.19.0 || >=22.12.0');
    assert.ok((major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22, `this Node ${process.versions.node} is outside engines`);
    const dir = scenario(installed.root, 'node-cjs', {
      'package.json': JSON.stringify({ private: true }),
      'main.cjs': fs.readFileSync(path.join(HERE, 'app/cjs.cjs'), 'utf8'),
    });
    assert.deepEqual(runNode(dir, 'main.cjs'), { rows: 98, gmmhmmError: 'function', requireReady: 'ERR_REQUIRE_ASYNC_MODULE', readyRows: 98 });
  });

  test('the CLI of the tarball: gmmhmm --version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(installed.root, 'node_modules/gmmhmm/package.json'), 'utf8'));
    const out = execFileSync(path.join(installed.root, 'node_modules/.bin/gmmhmm'), ['--version'], { encoding: 'utf8' });
    assert.match(out, new RegExp(pkg.version.replace(/\./g, '\\.')));
  });

  for (const [name, options] of [['NodeNext', {}], ['bundler', { module: 'ESNext', moduleResolution: 'Bundler' }]]) {
    test(`TypeScript (strict, default libs, moduleResolution ${name}): usage compiles, the planted mistakes are reported`, () => {
      const dir = scenario(installed.root, `typescript-${name}`);
      for (const file of ['usage.ts', 'mistakes.ts', 'tsconfig.json', 'tsconfig.mistakes.json']) {
        let text = fs.readFileSync(path.join(TYPES_DIR, file), 'utf8');
        if (file.endsWith('.json')) {
          const config = JSON.parse(text);
          Object.assign(config.compilerOptions, options);
          text = JSON.stringify(config);
        }
        fs.writeFileSync(path.join(dir, file), text);
      }
      const tsc = path.join(installed.root, 'node_modules/typescript/bin/tsc');
      assert.deepEqual(runTsc(tsc, 'tsconfig.json', dir).map((e) => `${e.line} ${e.code} ${e.text}`), []);
      const errors = runTsc(tsc, 'tsconfig.mistakes.json', dir);
      assert.deepEqual(errors.map((e) => `${e.line}:${e.code}`), expectedErrors(path.join(dir, 'mistakes.ts')),
        errors.map((e) => `${e.line} ${e.code} ${e.text}`).join('\n'));
    });
  }

  describe('in Chromium', { skip: noBrowser ?? false }, () => {
    /** A scenario folder with the app and `extra` files; runs its build script if any; returns the folder. */
    function bundlerScenario(name, script, { html = 'app.js', extra = {}, app = APP } = {}) {
      const dir = scenario(installed.root, name, {
        ...Object.fromEntries(app),
        'index.html': page(`<script type="module" src="./${html}"></script>`),
        ...(script ? { 'build.mjs': BUILD_SCRIPT(script) } : {}),
        ...extra,
      });
      return dir;
    }

    // The README's copy line, run from the project folder (here the install root) into `dist`.
    function copyFilesInto(dist, line = COPY_LINE) {
      execFileSync('bash', ['-c', line.replace(/ dist\/$/, ` ${path.relative(installed.root, dist)}/`)], { cwd: installed.root });
    }

    async function runServed(dir, serveOptions) {
      const server = await serveStatic(dir, serveOptions);
      try {
        return await openApp(`${server.origin}/`);
      } finally {
        await server.close();
      }
    }

    test('a plain page with an import map (no bundler)', async () => {
      const dir = bundlerScenario('importmap', null);
      fs.writeFileSync(path.join(dir, 'index.html'), page('<script type="module" src="./app.js"></script>',
        '<script type="importmap">{ "imports": { "gmmhmm": "/node_modules/gmmhmm/web/dist/gmmhmm.js" } }</script>'));
      // The site is the install root, so that /node_modules/gmmhmm/… is served.
      const server = await serveStatic(installed.root);
      try {
        assertRecognised(await openApp(`${server.origin}/importmap/`), 'import map');
      } finally {
        await server.close();
      }
    });

    // What a page of voice commands downloads with 'gmmhmm/words': its own files only.
    function assertWordsOnly({ download }, what) {
      assert.ok(download.names.some((n) => /^gmmhmm-words-(simd|nosimd).*\.wasm$/.test(n)), `${what}: downloaded ${download.names}`);
      assert.ok(!download.names.some((n) => /^gmmhmm-(simd|nosimd).*\.wasm$|^gmmhmm-shared|^train-worker/.test(n)), `${what}: downloaded ${download.names}`);
    }

    test("gmmhmm/words: a plain page with an import map downloads the words-only build and trains in its Workers", async () => {
      const dir = bundlerScenario('importmap-words', null, { app: WORDS_APP });
      fs.writeFileSync(path.join(dir, 'index.html'), page('<script type="module" src="./app.js"></script>',
        '<script type="importmap">{ "imports": { "gmmhmm/words": "/node_modules/gmmhmm/web/dist/gmmhmm-words.js" } }</script>'));
      const server = await serveStatic(installed.root);
      try {
        const opened = await openApp(`${server.origin}/importmap-words/`);
        assertRecognised(opened, 'gmmhmm/words, import map');
        assertWordsOnly(opened, 'gmmhmm/words, import map');
      } finally {
        await server.close();
      }
    });

    // listen()'s AudioWorklet: a file of its own, not inlined as a data: URL (under Vite's 4 KiB
    // inline limit it was), which a page whose Content-Security-Policy has script-src 'self' refuses.
    const assertWorkletIsAFile = (dir, assets) => {
      assert.ok(assets.some((f) => /^capture-worklet.*\.js$/.test(f)), `assets: ${assets}`);
      for (const f of assets.filter((name) => name.endsWith('.js'))) {
        assert.ok(!fs.readFileSync(path.join(dir, 'dist/assets', f), 'utf8').includes('data:text/javascript'), `${f} inlines a script`);
      }
    };

    test('gmmhmm/words: Vite build, no configuration', async () => {
      const dir = bundlerScenario('vite-build-words', 'vite-build.mjs', { app: WORDS_APP });
      assert.deepEqual(runNode(dir, 'build.mjs').warnings, []);
      const assets = fs.readdirSync(path.join(dir, 'dist/assets'));
      assert.ok(assets.some((f) => /^words-worker.*\.js$/.test(f)), `assets: ${assets}`);
      assert.ok(!assets.some((f) => /embedded|^gmmhmm-(simd|nosimd)|^train-worker/.test(f)), `assets: ${assets}`);
      assertWorkletIsAFile(dir, assets);
      const opened = await runServed(path.join(dir, 'dist'));
      assertRecognised(opened, 'gmmhmm/words, vite build');
      assertWordsOnly(opened, 'gmmhmm/words, vite build');
    });

    test('Vite build, no configuration', async () => {
      const dir = bundlerScenario('vite-build', 'vite-build.mjs');
      assert.deepEqual(runNode(dir, 'build.mjs').warnings, []);
      const assets = fs.readdirSync(path.join(dir, 'dist/assets'));
      assert.ok(assets.some((f) => /^train-worker.*\.js$/.test(f)), `assets: ${assets}`);
      assert.ok(!assets.some((f) => /embedded/.test(f)), `assets: ${assets}`);
      assertWorkletIsAFile(dir, assets);
      assertRecognised(await runServed(path.join(dir, 'dist')), 'vite build');
    });

    test("Vite dev server: with the README's one line it works; without it, a load error that says so", async () => {
      for (const withLine of [true, false]) {
        // With the line, the same server also serves a page of 'gmmhmm/words' (words.html).
        const wordsPage = {
          'app-words.js': WORDS_APP.find(([f]) => f === 'app.js')[1],
          'words.html': page('<script type="module" src="./app-words.js"></script>'),
        };
        const dir = bundlerScenario(withLine ? 'vite-dev-exclude' : 'vite-dev-default', 'vite-dev.mjs', { extra: withLine ? wordsPage : {} });
        const child = spawn(process.execPath, ['build.mjs', ...(withLine ? ['--exclude'] : [])], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
        try {
          const url = await new Promise((resolve, reject) => {
            let out = '';
            child.stdout.on('data', (d) => {
              out += d;
              const line = out.split('\n').find((l) => l.startsWith('{'));
              if (line) resolve(JSON.parse(line).url);
            });
            child.stderr.on('data', (d) => { out += d; });
            child.on('exit', (code) => reject(new Error(`vite dev exited (${code}): ${out}`)));
          });
          if (withLine) {
            assertRecognised(await openApp(url), 'vite dev with optimizeDeps.exclude');
            // The same line serves 'gmmhmm/words' (Vite excludes a package's subpaths with it).
            const words = await openApp(`${url}words.html`);
            assertRecognised(words, 'gmmhmm/words, vite dev with optimizeDeps.exclude');
            assertWordsOnly(words, 'gmmhmm/words, vite dev');
          } else {
            const { result } = await openApp(url);
            assertLoadError(result, /gmmhmm-simd\.wasm.*optimizeDeps: \{ exclude: \['gmmhmm'\] \}/, 'vite dev without the line');
          }
        } finally {
          child.kill();
        }
      }
    });

    test("webpack 5, no configuration but the entry: no warning but its size hint for the .wasm, which the README's line turns off", async () => {
      const dir = bundlerScenario('webpack', 'webpack.mjs');
      const plain = runNode(dir, 'build.mjs');
      assert.deepEqual(plain.errors, []);
      // webpack's performance hint flags every asset over 244 KiB; the .wasm is one (its size
      // in KiB, or in MiB past 1 MiB).
      assert.equal(plain.warnings.length, 1, plain.warnings.join('\n'));
      assert.match(plain.warnings[0], /^asset size limit: .*\n(.*\n)*\s+[0-9a-f]+\.wasm \(\d+(\.\d+)? [KM]iB\)\s*$/);
      const quiet = runNode(dir, 'build.mjs', ['--wasm-size-hint-off']);
      assert.deepEqual(quiet, { warnings: [], errors: [] });
      fs.writeFileSync(path.join(dir, 'dist/index.html'), page('<script defer src="./main.js"></script>'));
      assertRecognised(await runServed(path.join(dir, 'dist')), 'webpack');
    });

    for (const [name, script] of [['esbuild', 'esbuild.mjs'], ['Rollup', 'rollup.mjs']]) {
      test(`${name}: without the copy line a load error names the .wasm; with it, it works`, async () => {
        const dir = bundlerScenario(name.toLowerCase(), script);
        assert.deepEqual(runNode(dir, 'build.mjs').warnings, []);
        fs.writeFileSync(path.join(dir, 'dist/index.html'), page('<script type="module" src="./app.js"></script>'));
        const before = await runServed(path.join(dir, 'dist'));
        assertLoadError(before.result, /gmmhmm-simd\.wasm failed: HTTP 404/, `${name} without the copy line`);
        copyFilesInto(path.join(dir, 'dist'));
        assertRecognised(await runServed(path.join(dir, 'dist')), name);
      });
    }

    for (const [name, script] of [['esbuild', 'esbuild.mjs'], ['Rollup', 'rollup.mjs']]) {
      test(`gmmhmm/words, ${name}: the README's copy line for it makes it work`, async () => {
        const dir = bundlerScenario(`${name.toLowerCase()}-words`, script, { app: WORDS_APP });
        assert.deepEqual(runNode(dir, 'build.mjs').warnings, []);
        fs.writeFileSync(path.join(dir, 'dist/index.html'), page('<script type="module" src="./app.js"></script>'));
        copyFilesInto(path.join(dir, 'dist'), WORDS_COPY_LINE);
        const opened = await runServed(path.join(dir, 'dist'));
        assertRecognised(opened, `gmmhmm/words, ${name}`);
        assertWordsOnly(opened, `gmmhmm/words, ${name}`);
      });
    }

    test("gmmhmm/words, webpack 5 with the README's line: no warning, the words-only build", async () => {
      const dir = bundlerScenario('webpack-words', 'webpack.mjs', { app: WORDS_APP });
      assert.deepEqual(runNode(dir, 'build.mjs', ['--wasm-size-hint-off']), { warnings: [], errors: [] });
      fs.writeFileSync(path.join(dir, 'dist/index.html'), page('<script defer src="./main.js"></script>'));
      const opened = await runServed(path.join(dir, 'dist'));
      assertRecognised(opened, 'gmmhmm/words, webpack');
      // webpack names the .wasm by its hash: the words build's is the one it emitted.
      const emitted = fs.readdirSync(path.join(dir, 'dist')).filter((f) => f.endsWith('.wasm'));
      const wordsWasm = ['simd', 'nosimd'].map((v) => fs.readFileSync(path.join(installed.root, `node_modules/gmmhmm/web/dist/gmmhmm-words-${v}.wasm`)));
      assert.ok(emitted.length >= 1 && emitted.every((f) => wordsWasm.some((w) => w.equals(fs.readFileSync(path.join(dir, 'dist', f))))), `emitted ${emitted}`);
      assert.ok(!opened.download.names.some((n) => /^gmmhmm-shared|^train-worker/.test(n)), `downloaded ${opened.download.names}`);
    });

    describe('a site that gets it wrong: a GmmHmmError "load" naming the file or the directive', () => {
      let dir;
      before(() => {
        // The app built with esbuild (plus the copy line), and again from 'gmmhmm/single-file' into dist-single/.
        dir = bundlerScenario('bad-input', 'esbuild.mjs');
        runNode(dir, 'build.mjs');
        fs.writeFileSync(path.join(dir, 'dist/index.html'), page('<script type="module" src="./app.js"></script>'));
        copyFilesInto(path.join(dir, 'dist'));
        fs.writeFileSync(path.join(dir, 'app.js'), APP[0][1].replace("from 'gmmhmm';", "from 'gmmhmm/single-file';"));
        fs.renameSync(path.join(dir, 'dist'), path.join(dir, 'dist-built'));
        runNode(dir, 'build.mjs');
        fs.renameSync(path.join(dir, 'dist'), path.join(dir, 'dist-single'));
        fs.renameSync(path.join(dir, 'dist-built'), path.join(dir, 'dist'));
        fs.writeFileSync(path.join(dir, 'dist-single/index.html'), page('<script type="module" src="./app.js"></script>'));
        copyFilesInto(path.join(dir, 'dist-single'));
      });

      async function attempt(serveOptions, manual = {}, root = 'dist') {
        const server = await serveStatic(path.join(dir, root), serveOptions);
        try {
          return await openApp(`${server.origin}/`, { manual });
        } finally {
          await server.close();
        }
      }

      test('the .wasm answered with the index page (a single-page-app fallback), or 404', async () => {
        const fallback = await attempt({ html: /\.wasm$/ });
        assertLoadError(fallback.result, /\/gmmhmm-simd\.wasm is not a WebAssembly module \(served as text\/html; charset=utf-8, it starts with "<!doctype html>/, 'fallback');
        const missing = await attempt({ missing: /\.wasm$/ });
        assertLoadError(missing.result, /\/gmmhmm-simd\.wasm failed: HTTP 404/, '404');
      });

      test('a wrong wasmURL', async () => {
        const { result } = await attempt({}, { loadOptions: { wasmURL: '/elsewhere/gmmhmm.wasm' } });
        assertLoadError(result, /\/elsewhere\/gmmhmm\.wasm failed: HTTP 404/, 'wasmURL');
      });

      test("a Content-Security-Policy without 'wasm-unsafe-eval'", async () => {
        const { result } = await attempt({ csp: "default-src 'self'" }, {});
        assertLoadError(result, /Content-Security-Policy does not allow WebAssembly; add 'wasm-unsafe-eval' to its script-src/, 'CSP wasm');
      });

      test('a Content-Security-Policy that forbids workers', async () => {
        const { result, workerNames } = await attempt({ csp: "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'none'" }, {});
        assertLoadError(result, /training worker \(train-worker\.js\) did not start: the page's Content-Security-Policy directive worker-src blocked http:\/\/127\.0\.0\.1:\d+\/train-worker\.js/, 'CSP worker-src');
        assert.deepEqual(workerNames, []);
      });

      test('a Content-Security-Policy whose connect-src refuses the .wasm; gmmhmm/single-file needs no fetch', async () => {
        const csp = "default-src 'self'; img-src data:; script-src 'self' 'wasm-unsafe-eval'; connect-src 'none'";
        const { result } = await attempt({ csp });
        assertLoadError(result, /gmmhmm-simd\.wasm failed: .*Content-Security-Policy directive connect-src blocked/, 'CSP connect-src');
        const single = await attempt({ csp }, undefined, 'dist-single');
        assertRecognised(single, 'gmmhmm/single-file under connect-src none');
        assert.equal(single.result.singleFile, true);
      });

      test('the training worker missing (a bundler that did not emit it): train() and fitAsync() say so', async () => {
        const { result } = await attempt({ missing: /train-worker\.js$/ }, {});
        assertLoadError(result, /training worker \(train-worker\.js\) did not start: its script http:\/\/127\.0\.0\.1:\d+\/train-worker\.js answers HTTP 404/, 'worker 404');
        const fit = await attempt({ missing: /train-worker\.js$/ }, { fitAsync: true });
        assertLoadError(fit.result, /fitAsync: the training worker \(train-worker\.js\) did not start: its script http:\/\/127\.0\.0\.1:\d+\/train-worker\.js answers HTTP 404/, 'fitAsync worker 404');
      });

      test('workers: 0 trains in this thread on purpose (no workers started)', async () => {
        const { result, workerNames } = await attempt({ missing: /train-worker\.js$/ }, { workers: 0 });
        assert.equal(result.ok, true, result.message);
        assert.equal(result.label, 'down');
        assert.deepEqual(workerNames, []);
      });
    });
  });
});
