// `gmmhmm listen` on long recordings (docs/listening.md): a model of 3 espeak-ng words, then
// WAV files of 10 minutes and 2 hours (16 kHz, 16-bit; the words between pauses, repeated),
// written in pieces to a temporary folder; for each, the CLI's wall time (x real time), its
// peak RSS (VmHWM, read from /proc while it runs) and the words it printed.
//   node bench/listen-long.js [minutes ...]      (default: 10 120; Linux)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load } from '../web/index.js';
import { enrolFromStreams, speechStream } from '../tests/node/helpers.js';
import { wav16 } from '../tests/node/wav-bytes.js';

const RATE = 16000;
const WORDS = ['red', 'green', 'blue'];
const TRAIN = [['en-us+m3', 140, 45], ['en-gb+f3', 150, 60], ['en-us+m1', 165, 50], ['en-029+f2', 145, 55]];
const minutes = process.argv.slice(2).map(Number);
if (minutes.length === 0) minutes.push(10, 120);
const CLI = new URL('../web/cli/gmmhmm.js', import.meta.url).pathname;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmmhmm-long-'));
try {
  const gmmhmm = await load();
  const rec = new gmmhmm.Recognizer({ workers: 0 });
  enrolFromStreams(gmmhmm, rec, WORDS, TRAIN, RATE);
  await rec.train();
  const model = path.join(dir, 'model.json');
  fs.writeFileSync(model, JSON.stringify(rec.toJSON()));
  rec.dispose();
  // One minute of words (16-bit PCM bytes), repeated to the length wanted.
  const piece = speechStream(WORDS, ['en-gb+m3', 150, 50], { rate: RATE, pause: 0.9, repeat: 20 });
  const pcm = wav16(piece.audio, RATE).subarray(44);
  for (const m of minutes) {
    const file = path.join(dir, `${m}min.wav`);
    const seconds = m * 60;
    const dataBytes = seconds * RATE * 2;
    const header = Buffer.from(wav16(new Float32Array(0), RATE).subarray(0, 44));
    header.writeUInt32LE(36 + dataBytes, 4);
    header.writeUInt32LE(dataBytes, 40);
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, header);
    for (let written = 0; written < dataBytes;) {
      const n = Math.min(pcm.length, dataBytes - written);
      fs.writeSync(fd, pcm, 0, n);
      written += n;
    }
    fs.closeSync(fd);
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'listen', model, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lines = 0;
    child.stdout.on('data', (d) => { for (const c of d) if (c === 10) lines++; });
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
        peakKb = Math.max(peakKb, Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0));
      } catch { /* ended */ }
    }, 100);
    const code = await new Promise((resolve) => child.on('exit', resolve));
    clearInterval(poll);
    const wall = (performance.now() - started) / 1000;
    console.log(`${m} min (${(fs.statSync(file).size / 1e6).toFixed(0)} MB): exit ${code}, ${lines} words, ${wall.toFixed(1)} s = ` +
      `${(seconds / wall).toFixed(0)}x real time, peak RSS ${(peakKb / 1024).toFixed(0)} MB`);
    fs.rmSync(file);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
