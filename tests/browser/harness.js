// Shared set-up for the browser tests and the demo benchmark: Debian's Chromium through
// playwright-core, a fake microphone fed from WAV files synthesised with espeak-ng, the
// demo served by scripts/serve.js, and a record of console errors.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.GMMHMM_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(ROOT, 'tests/artifacts');

const BASE_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** Why the browser tests cannot run here, or null. Only a missing browser is a reason. */
export function skipReason() {
  if (!fs.existsSync(CHROMIUM)) {
    return `Chromium not found at ${CHROMIUM}: the browser tests are skipped (scripts/setup.sh installs it; GMMHMM_CHROMIUM overrides the path)`;
  }
  return null;
}

export async function chromium() {
  return (await import('playwright-core')).chromium;
}

export function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `gmmhmm-${prefix}-`));
}

/**
 * Synthesises a fake-microphone WAV (16 kHz, 16-bit PCM): 0.5 s of silence, then each part
 * followed by `gap` seconds of silence. A part is { text, voice, speed, pitch } (espeak-ng)
 * or { noise: seconds } (pink noise).
 */
export function synthesise(file, parts, { gap = 1.0, tail = 1.0 } = {}) {
  const dir = tempDir('wav');
  try {
    const pieces = parts.map((part, i) => {
      const raw = path.join(dir, `raw-${i}.wav`);
      const out = path.join(dir, `part-${i}.wav`);
      if (part.noise) {
        execFileSync('sox', ['-n', '-r', '16000', '-b', '16', '-c', '1', out, 'synth', String(part.noise), 'pinknoise', 'vol', String(part.volume ?? 0.25)]);
      } else {
        execFileSync('espeak-ng', ['-v', part.voice ?? 'en-us', '-s', String(part.speed ?? 150), '-p', String(part.pitch ?? 50), '-w', raw, part.text]);
        execFileSync('sox', [raw, '-r', '16000', '-b', '16', '-c', '1', out]);
      }
      const padded = path.join(dir, `padded-${i}.wav`);
      const last = i === parts.length - 1;
      execFileSync('sox', [out, padded, 'pad', i === 0 ? '0.5' : '0', String(last ? tail : gap)]);
      return padded;
    });
    execFileSync('sox', [...pieces, '-b', '16', '-e', 'signed-integer', file]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return file;
}

/** The samples of a sound file, resampled by sox to `rate`. */
export function samplesAt(file, rate) {
  const raw = execFileSync('sox', [file, '-t', 'raw', '-r', String(rate), '-e', 'floating-point', '-b', '32', '-c', '1', '-'], { maxBuffer: 1 << 28 });
  return new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
}

/** Duration in seconds of a WAV written by synthesise(). */
export function duration(file) {
  return Number(execFileSync('soxi', ['-D', file]).toString().trim());
}

/** Serves the project with scripts/serve.js on a free port; resolves to { origin, demo,
 *  close }. GMMHMM_DEMO_ORIGIN=http://host:port uses a server that is already running. */
export async function serve() {
  if (process.env.GMMHMM_DEMO_ORIGIN) {
    const origin = new URL(process.env.GMMHMM_DEMO_ORIGIN).origin;
    return { origin, demo: new URL(DEMO_PATH, origin).href, close: async () => {} };
  }
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/serve.js'), '--port', '0', '--no-build'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`scripts/serve.js printed no address in 20 s:\n${output}`)), 20_000);
    const onData = (data) => {
      output += data;
      const match = output.match(/http:\/\/(?:localhost|127\.0\.0\.1|\[::1\]):\d+\/?[^\s]*/);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`scripts/serve.js exited with ${code}:\n${output}`)));
  });
  const origin = new URL(url).origin;
  return {
    origin,
    demo: new URL(DEMO_PATH, origin).href,
    close: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill();
    }),
  };
}
export const DEMO_PATH = '/demo/';

/**
 * Launches Chromium with its own profile folder (reuse `userDataDir` to keep IndexedDB across
 * launches) and a fake microphone playing `wav` once. `microphone: 'deny'` refuses access.
 * Console errors, page errors, failed requests and requests to any origin but `origin` are
 * collected in `errors`.
 */
export async function launch({ userDataDir = tempDir('profile'), wav = null, microphone = 'allow', origin = null } = {}) {
  const args = [...BASE_ARGS];
  if (microphone === 'allow') args.push('--use-fake-ui-for-media-stream');
  else args.push('--deny-permission-prompts');
  args.push('--use-fake-device-for-media-stream');
  if (wav) args.push(`--use-file-for-fake-audio-capture=${wav}%noloop`);
  const context = await (await chromium()).launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args,
    acceptDownloads: true,
    viewport: { width: 1100, height: 900 },
  });
  const errors = [];
  const watch = (page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => {
      // Aborted is not failed: a reload, or a training Worker stopped by Cancel, drops its fetches.
      if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
      errors.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
    });
    // The demo promises to talk to nobody but its own origin.
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (origin && (url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== origin) {
        errors.push(`request to another origin: ${request.url()}`);
      }
    });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, errors, userDataDir };
}

/** Opens the demo and waits until the engine and stored state are loaded. */
export async function openDemo(page, demoURL) {
  await page.goto(demoURL);
  await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
  const ready = await page.getAttribute('body', 'data-ready');
  if (ready !== 'true') throw new Error(`the demo did not start: ${await page.textContent('[data-testid=error]')}`);
}

/** Drops the demo's sample `name` (web/demo/samples/) on its drop zone, as a file dragged
 *  from the desktop would be (the same in playwright-core's and puppeteer-core's pages). */
export function dropSample(page, name) {
  return page.evaluate(async (name) => {
    const bytes = await (await fetch(new URL(`samples/${name}`, location.href))).arrayBuffer();
    const data = new DataTransfer();
    data.items.add(new File([bytes], name, { type: 'audio/wav' }));
    const zone = document.querySelector('[data-testid=dropzone]');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  }, name);
}

// ---- accessibility checks (used by the demo test) ----

/**
 * Interactive or meaningful nodes of the page's accessibility tree (Chromium's own computed
 * roles and names, through the DevTools protocol) that have no accessible name.
 */
export async function unnamedControls(page) {
  const client = await page.context().newCDPSession(page);
  try {
    const { nodes } = await client.send('Accessibility.getFullAXTree');
    const NAMED = new Set(['button', 'textbox', 'combobox', 'checkbox', 'link', 'progressbar', 'image', 'img', 'slider', 'listbox', 'dialog', 'region']);
    return nodes
      .filter((n) => !n.ignored && NAMED.has(n.role?.value) && !String(n.name?.value ?? '').trim())
      .map((n) => `${n.role.value} (backend node ${n.backendDOMNodeId})`);
  } finally {
    await client.detach();
  }
}

/**
 * Visible text whose contrast with its background is below WCAG AA (4.5:1, or 3:1 for large
 * text). Disabled controls are exempt (WCAG 1.4.3). The background is found by compositing
 * the ancestors' background colours.
 */
export function contrastProblems(page) {
  return page.evaluate(() => {
    const parse = (c) => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      return [r, g, b, a];
    };
    const over = (top, under) => {
      const a = top[3];
      return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat(1);
    };
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] >= 1) break;
        }
      }
      let colour = [255, 255, 255, 1];
      for (const layer of layers.reverse()) colour = over(layer, colour);
      return colour;
    };
    const luminance = ([r, g, b]) => {
      const f = (v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const problems = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || seen.has(el) || el.closest('svg, [hidden], dialog:not([open]), .visually-hidden')) continue;
      seen.add(el);
      if (el.closest('button:disabled, [aria-disabled=true]')) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      const bg = background(el);
      const fg = over(parse(style.color), bg);
      const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) problems.push(`${ratio.toFixed(2)}:1 "${node.textContent.trim().slice(0, 40)}" (${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${el.className}` : ''})`);
    }
    return problems;
  });
}
