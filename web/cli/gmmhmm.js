#!/usr/bin/env node
// gmmhmm: train, use and evaluate a spoken-word recognizer from WAV files.
//
//   gmmhmm train <folder> -o model.json [--label-pattern REGEX] [--workers N]
//   gmmhmm classify model.json file.wav...
//   gmmhmm eval model.json <folder> [--label-pattern REGEX]
//
// Labels come from subfolder names (<folder>/<label>/*.wav) or from file names with
// --label-pattern (first capture group, e.g. FSDD: '^(\d)_').
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { load } from '../index.js';
import { labelledFiles } from './dataset.js';
import { checkOutputPath, writeOutput } from './files.js';
import { ProgressBar } from './progress-bar.js';
import { confusionReport } from './report.js';
import { printable } from './text.js';
import { readWav } from './wav.js';

const USAGE = `usage:
  gmmhmm train <folder> -o model.json [--label-pattern REGEX] [--workers N]
  gmmhmm classify model.json file.wav...  [--json]
  gmmhmm eval model.json <folder> [--label-pattern REGEX] [--json]

Labels come from subfolder names (<folder>/<label>/*.wav), or from file names with
--label-pattern: a regular expression whose first group is the label (FSDD: '^(\\d)_').

-o is checked before training; the model goes to a new temporary file in the same folder,
renamed over the target only if that is a regular file (a symbolic link, device, FIFO or
folder there is refused).`;

class UsageError extends Error {}

function pattern(text) {
  if (text === undefined) return null;
  try {
    return new RegExp(text);
  } catch (error) {
    throw new UsageError(`--label-pattern is not a valid regular expression: ${error.message}`);
  }
}

async function readModel(gmmhmm, path) {
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read model ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
  }
  try {
    return gmmhmm.Recognizer.fromJSON(text);
  } catch (error) {
    throw new Error(`${path} is not a valid recognizer model: ${error.message}`);
  }
}

async function train(gmmhmm, folder, values) {
  if (!values.output) throw new UsageError('train needs -o <model.json>');
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) {
    throw new UsageError(`--workers must be a whole number >= 0, got ${values.workers}`);
  }
  const labelPattern = pattern(values['label-pattern']);
  await checkOutputPath(values.output); // before the long part: a wrong -o is known at once
  const { files, notes } = await labelledFiles(folder, labelPattern);
  for (const note of notes) console.error(`gmmhmm: ${note}`);
  const rec = new gmmhmm.Recognizer(workers === undefined ? {} : { workers });
  try {
    const reading = new ProgressBar(`reading ${files.length} files`, process.stderr);
    for (const [i, { path, label }] of files.entries()) {
      const { samples, sampleRate } = await readWav(path);
      try {
        rec.addExample(label, samples, sampleRate);
      } catch (error) {
        throw new Error(`${path}: ${error.message}`);
      }
      reading.update((i + 1) / files.length);
    }
    reading.done();
    const labels = rec.labels;
    const fractions = new Map(labels.map((l) => [l, 0]));
    const bar = new ProgressBar(`training ${labels.length} words`, process.stderr);
    const t0 = performance.now();
    await rec.train({
      onProgress: (e) => {
        if (e.label === null) return;
        fractions.set(e.label, e.fraction);
        let sum = 0;
        for (const f of fractions.values()) sum += f;
        const word = printable(e.label);
        bar.update(sum / labels.length, e.done ? `${word} done` : `${word} iteration ${e.iteration}/${e.nIter}`);
      },
    });
    bar.done(`${((performance.now() - t0) / 1000).toFixed(2)} s`);
    await writeOutput(values.output, JSON.stringify(rec.toJSON()));
    const counts = labels.map((l) => `${printable(l)} (${rec.exampleCount(l)})`).join(', ');
    console.log(`trained ${labels.length} words from ${files.length} files: ${counts}`);
    console.log(`model written to ${values.output}`);
  } finally {
    rec.dispose();
  }
}

async function classify(gmmhmm, modelPath, paths, values) {
  if (paths.length === 0) throw new UsageError('classify needs at least one WAV file');
  const rec = await readModel(gmmhmm, modelPath);
  try {
    let failures = 0;
    for (const path of paths) {
      try {
        const { samples, sampleRate } = await readWav(path);
        const r = await rec.classify(samples, sampleRate);
        if (values.json) {
          console.log(JSON.stringify({ file: path, label: r.label, confidence: r.confidence, rejected: r.rejected, reason: r.reason,
            scores: r.scores }));
        } else if (r.rejected) {
          const closest = r.label === null ? '' : `\tclosest: ${printable(r.label)} ${(100 * r.confidence).toFixed(1)} %`;
          console.log(`${printable(path)}\trejected (${r.reason})${closest}`);
        } else {
          console.log(`${printable(path)}\t${printable(r.label)}\t${(100 * r.confidence).toFixed(1)} %`);
        }
      } catch (error) {
        failures++;
        console.error(`gmmhmm: ${path}: ${error.message}`);
      }
    }
    if (failures > 0) process.exitCode = 1;
  } finally {
    rec.dispose();
  }
}

async function evaluate(gmmhmm, modelPath, folder, values) {
  const rec = await readModel(gmmhmm, modelPath);
  try {
    const { files, notes } = await labelledFiles(folder, pattern(values['label-pattern']));
    for (const note of notes) console.error(`gmmhmm: ${note}`);
    const bar = new ProgressBar(`classifying ${files.length} files`, process.stderr);
    const outcomes = [];
    for (const [i, { path, label }] of files.entries()) {
      const { samples, sampleRate } = await readWav(path);
      const r = await rec.classify(samples, sampleRate);
      outcomes.push({ path, truth: label, label: r.label, rejected: r.rejected });
      bar.update((i + 1) / files.length);
    }
    bar.done();
    const report = confusionReport(outcomes, rec.labels);
    if (values.json) console.log(JSON.stringify(report.summary));
    else console.log(report.text);
  } finally {
    rec.dispose();
  }
}

async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        output: { type: 'string', short: 'o' },
        'label-pattern': { type: 'string' },
        workers: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error.message);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    if (!command && !values.help) process.exitCode = 2;
    return;
  }
  const gmmhmm = await load();
  if (command === 'train') {
    if (rest.length !== 1) throw new UsageError('train needs exactly one folder');
    await train(gmmhmm, rest[0], values);
  } else if (command === 'classify') {
    if (rest.length < 1) throw new UsageError('classify needs a model file');
    await classify(gmmhmm, rest[0], rest.slice(1), values);
  } else if (command === 'eval') {
    if (rest.length !== 2) throw new UsageError('eval needs a model file and a folder');
    await evaluate(gmmhmm, rest[0], rest[1], values);
  } else {
    throw new UsageError(`unknown command '${command}'`);
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(`gmmhmm: error: ${error.message}`);
  if (error instanceof UsageError) console.error(USAGE);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
