// End of speech -> `result` event in Chromium (docs/listening.md): listen() on an
// AudioBufferSourceNode playing espeak-ng words (2 rounds of 3 words, 1 s apart) in real
// time; for each result, the AudioContext's clock (context.currentTime, the audio thread's,
// which the capture worklet stamps its blocks with) at the event minus its time of the word's
// last loud hop (endTime - postRoll + listener.contextTimeAtStart): from the audio thread
// having the end of the word to the page having the result. Per hangover.
//   node bench/listen-latency-browser.js [hangover ms ...]      (default: 150 250)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { load } from '../web/index.js';
import { serve, launch, synthesise, tempDir } from '../tests/browser/harness.js';

const WORDS = ['yes', 'no', 'up'];
const TRAIN = [['en-us+m3', 140, 45], ['en-gb+f3', 150, 60], ['en-us+m1', 165, 50], ['en-029+f2', 145, 55],
  ['en-gb-scotland+m1', 160, 40], ['en-us+f2', 150, 55]];
const hangovers = process.argv.slice(2).map(Number);
if (hangovers.length === 0) hangovers.push(150, 250);
const POST_ROLL = 0.06;

const samplesAt = (file, rate) => {
  const raw = execFileSync('sox', [file, '-t', 'raw', '-r', String(rate), '-e', 'floating-point', '-b', '32', '-c', '1', '-'], { maxBuffer: 1 << 28 });
  return new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
};

const work = tempDir('latency');
const server = await serve();
const browser = await launch({ origin: server.origin });
try {
  const page = browser.page;
  await page.route('**/latency.html', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>latency</title>' }));
  await page.goto(`${server.origin}/latency.html`);
  const rate = await page.evaluate(() => { const c = new AudioContext(); const r = c.sampleRate; c.close(); return r; });
  const gmmhmm = await load();
  const rec = new gmmhmm.Recognizer({ workers: 0 });
  for (const [voice, speed, pitch] of TRAIN) {
    const audio = samplesAt(synthesise(path.join(work, `${voice}.wav`), WORDS.map((text) => ({ text, voice, speed, pitch })), { gap: 0.8 }), rate);
    gmmhmm.findSpeechSegments(audio, rate).forEach((s, i) => rec.addExample(WORDS[i], audio.subarray(s.startSample, s.endSample), rate));
  }
  await rec.train();
  const model = JSON.stringify(rec.toJSON());
  rec.dispose();
  const parts = [...WORDS, ...WORDS].map((text) => ({ text, voice: 'en-gb+m3', speed: 150, pitch: 50 }));
  const sentence = Array.from(samplesAt(synthesise(path.join(work, 'sentence.wav'), parts, { gap: 1.0 }), rate));
  for (const hangover of hangovers) {
    const out = await page.evaluate(async ({ origin, model, sentence, hangover, postRoll }) => {
      const { load } = await import(`${origin}/web/index.js`);
      const gmmhmm = await load();
      const rec = gmmhmm.Recognizer.fromJSON(model, { workers: 0 });
      const context = new AudioContext({ latencyHint: 'interactive' });
      await context.resume();
      const buffer = context.createBuffer(1, sentence.length, context.sampleRate);
      buffer.copyToChannel(Float32Array.from(sentence), 0);
      const player = context.createBufferSource();
      player.buffer = buffer;
      const listener = await rec.listen(player, { hangover });
      const rows = [];
      const started = context.currentTime + 0.2;
      const done = new Promise((resolve) => listener.addEventListener('result', (e) => {
        // The audio thread's clock (what the capture worklet stamps blocks with) now, minus
        // its time of the word's last loud hop.
        const spoken = listener.contextTimeAtStart + e.detail.endTime - postRoll;
        rows.push({ label: e.detail.label, rejected: e.detail.rejected, latency: (context.currentTime - spoken) * 1000, wait: e.detail.decisionDelay * 1000 });
        if (rows.length === 6) resolve();
      }));
      player.start(started);
      await done;
      listener.stop();
      await context.close();
      rec.dispose();
      return rows;
    }, { origin: server.origin, model, sentence, hangover, postRoll: POST_ROLL });
    const latencies = out.map((r) => r.latency).sort((a, b) => a - b);
    console.log(`hangover ${hangover} ms: ${out.map((r) => (r.rejected ? `(${r.label})` : r.label)).join(' ')}; end of speech -> result ` +
      `${latencies.map((l) => l.toFixed(0)).join(', ')} ms (median ${latencies[3].toFixed(0)}), of which the Endpointer's wait ` +
      `after the last loud hop ${(out[0].wait + POST_ROLL * 1000).toFixed(0)} ms`);
  }
} finally {
  await browser.context.close();
  await server.close();
  fs.rmSync(work, { recursive: true, force: true });
}
