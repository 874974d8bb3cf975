#!/usr/bin/env node
// The dev server of `npm start` and the browser tests: serves the demo page and the package
// files it loads (scripts/serve/allow-list.js), read-only, GET/HEAD only, on 127.0.0.1, and
// prints the demo's address. What it refuses and why: docs/hardening.md, "Dev server".
//
//   node scripts/serve.js [--port N] [--host H] [--root DIR] [--no-build]
// --port (or PORT): 0 (default) picks a free port. --host: the address to listen on,
// 127.0.0.1 by default (anything else shows the demo to the network). --root: the checkout
// to serve (default: this one). Without --no-build it first runs scripts/build.sh wasm and
// scripts/make-samples.sh (npm start does that itself and passes --no-build).
//
// URLs: /web/demo/ is the demo; /demo/, /index.js, /lib/… and /dist/… are the same files
// (web/ mounted at the root too; tests/browser/harness.js opens /demo/).
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './serve/server.js';

const THIS_REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = 'usage: node scripts/serve.js [--port N] [--host H] [--root DIR] [--no-build]';

function parseArgs(argv) {
  const args = { port: Number(process.env.PORT ?? 0), host: '127.0.0.1', root: THIS_REPOSITORY, build: true };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => inline ?? argv[++i];
    if (flag === '--port') args.port = Number(value());
    else if (flag === '--host') args.host = value();
    else if (flag === '--root') args.root = path.resolve(value() ?? '');
    else if (argv[i] === '--no-build') args.build = false;
    else throw new Error(`serve.js: unknown argument ${argv[i]} (${USAGE})`);
  }
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error('serve.js: --port must be 0..65535');
  if (args.host !== 'localhost' && !net.isIP(args.host ?? '')) throw new Error('serve.js: --host must be an IP address or localhost');
  return args;
}

const args = parseArgs(process.argv.slice(2));
if (args.build) {
  execFileSync('bash', [path.join(args.root, 'scripts/build.sh'), 'wasm'], { stdio: 'inherit' });
  execFileSync('bash', [path.join(args.root, 'scripts/make-samples.sh')], { stdio: 'inherit' });
}
const { port } = await startServer({ repository: args.root, host: args.host, port: args.port });
const shown = ['0.0.0.0', '::'].includes(args.host) ? '127.0.0.1' : net.isIPv6(args.host) ? `[${args.host}]` : args.host;
console.log(`gmmhmm demo: http://${shown}:${port}/web/demo/`);
console.log(`(serving the demo and package files of ${args.root}; Ctrl-C stops)`);
const loopback = args.host === 'localhost' || args.host === '::1' || (net.isIPv4(args.host) && args.host.startsWith('127.'));
if (!loopback) {
  console.log(`serve.js: listening on ${args.host}: other machines can load the demo (the microphone needs https or localhost there)`);
}
// Exit at once: waiting for browsers' keep-alive connections to close could take minutes.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
