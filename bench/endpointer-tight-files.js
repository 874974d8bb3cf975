// Words in files cut tight (FSDD's recordings start and end at the word): how many files the
// Endpointer finds no word in, one word, or several (docs/listening.md, "Bad input").
//   node bench/endpointer-tight-files.js [<package entry, default ../web/index.js>]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readWav } from '../web/cli/wav.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.GMMHMM_SHARED_DIR ?? path.resolve(ROOT, '../shared');
const FSDD = path.join(SHARED, 'data/fsdd/recordings');
if (!fs.existsSync(FSDD)) {
  console.log(`${FSDD} is absent: nothing to measure`);
  process.exit(0);
}
const entry = process.argv[2] ? pathToFileURL(path.resolve(process.argv[2])).href : '../web/index.js';
const { load } = await import(entry);
const g = await load();
const counts = { files: 0, none: 0, one: 0, several: 0 };
const missed = {};
for (const name of fs.readdirSync(FSDD).filter((f) => f.endsWith('.wav')).sort()) {
  const { samples, sampleRate } = await readWav(path.join(FSDD, name));
  const n = g.findSpeechSegments(samples, sampleRate).length;
  counts.files++;
  if (n === 0) {
    counts.none++;
    const speaker = name.split('_')[1];
    missed[speaker] = (missed[speaker] ?? 0) + 1;
  } else if (n === 1) counts.one++;
  else counts.several++;
}
console.log(`FSDD files: ${counts.files}; no word found in ${counts.none}, one word in ${counts.one}, several in ${counts.several}`);
console.log(`no word found, by speaker: ${JSON.stringify(missed)}`);
