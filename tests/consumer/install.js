// The consumer suite's one install, made once per run in build/consumer/: the package packed
// with `npm pack` (what npm publishes), the tools of tests/consumer/tools (npm ci from their
// lock file, with a cache of their own), and the tarball installed next to them as a user
// installs it. Each scenario then gets a fresh folder below that root: Node resolves
// 'gmmhmm', 'vite', 'webpack'… from the shared node_modules one level up.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TOOLS = path.join(ROOT, 'tests/consumer/tools');
const WORK = process.env.GMMHMM_CONSUMER_DIR ?? path.join(ROOT, 'build/consumer');

function npm(args, cwd) {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

/** Packs the package into `dir`; returns the tarball's path. */
export function pack(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const out = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT);
  const [{ filename, files }] = JSON.parse(out);
  return { tarball: path.join(dir, filename), files: files.map((f) => f.path) };
}

/**
 * Resolves to { root, tarball, files }: `root` has node_modules with the tools and gmmhmm.
 * The tools are installed again only when their lock file changed.
 */
export function install() {
  const root = path.join(WORK, 'root');
  const lock = fs.readFileSync(path.join(TOOLS, 'package-lock.json'));
  const stamp = path.join(root, 'node_modules/.tools-lock-sha1');
  const sum = crypto.createHash('sha1').update(lock).digest('hex');
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== sum) {
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    fs.copyFileSync(path.join(TOOLS, 'package.json'), path.join(root, 'package.json'));
    fs.copyFileSync(path.join(TOOLS, 'package-lock.json'), path.join(root, 'package-lock.json'));
    npm(['ci', '--cache', path.join(WORK, 'npm-cache'), '--prefer-offline'], root);
    fs.writeFileSync(stamp, sum);
  }
  // Scenario folders of an earlier run.
  for (const name of fs.readdirSync(root)) {
    if (!['node_modules', 'package.json', 'package-lock.json'].includes(name)) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
  const { tarball, files } = pack(path.join(WORK, 'pack'));
  // As a user installs it; --no-save keeps the tools' lock file as it is.
  npm(['install', '--no-save', '--offline', '--cache', path.join(WORK, 'npm-cache'), tarball], root);
  return { root, tarball, files };
}

/** A fresh folder below the install root with `files` (name -> text) in it. */
export function scenario(root, name, files = {}) {
  const dir = path.join(root, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}
