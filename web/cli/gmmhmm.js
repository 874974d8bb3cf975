#!/usr/bin/env node
// gmmhmm: train, use and evaluate a spoken-word recognizer from WAV files (`gmmhmm --help`).
import { load } from '../index.js';
import { fileId, labelledFiles } from './dataset.js';
import { checkOutputPath, readRegularFile, writeOutput } from './files.js';
import { listenToFile } from './listen.js';
import { HELP, USAGE, UsageError, VERSION, parseCommandLine } from './options.js';
import { ProgressBar } from './progress-bar.js';
import { confusionReport } from './report.js';
import { printable } from './text.js';
import { readWav } from './wav.js';

const LIMIT_NAME = '--max-file-size';

const note = (text) => console.error(`gmmhmm: ${text}`);

/** Runs fn(); an Error it throws is re-thrown with the file named first (unless it already is). */
async function naming(path, fn) {
  try {
    return await fn();
  } catch (error) {
    if (error.message.includes(printable(path))) throw error;
    throw new Error(`${printable(path)}: ${error.message}`);
  }
}

/** Samples of a WAV file; its warnings are kept in `warnings` (printed where they do not break a progress bar). */
async function samplesOf(path, options, warnings) {
  const wav = await readWav(path, { maxBytes: options['max-file-size'], limitName: LIMIT_NAME });
  warnings.push(...wav.warnings);
  return wav;
}

async function readModel(gmmhmm, path, options) {
  const bytes = await readRegularFile(path, { what: 'model', maxBytes: options['max-file-size'], limitName: LIMIT_NAME });
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${printable(path)} is not a valid recognizer model: it is not UTF-8 text`);
  }
  try {
    return gmmhmm.Recognizer.fromJSON(text);
  } catch (error) {
    throw new Error(`${printable(path)} is not a valid recognizer model: ${error.message}`);
  }
}

async function train(folder, options) {
  const existing = await checkOutputPath(options.output); // before the long part: a wrong -o is known at once
  const { files, notes } = await labelledFiles(folder, options['label-pattern'] ?? null);
  const overwritten = existing && files.find((f) => f.id === fileId(existing));
  if (overwritten) throw new Error(`will not write ${printable(options.output)}: it is the training file ${printable(overwritten.path)}`);
  notes.forEach(note);
  const gmmhmm = await load();
  const rec = new gmmhmm.Recognizer(options.workers === undefined ? {} : { workers: options.workers });
  try {
    const warnings = [];
    const reading = new ProgressBar(`reading ${files.length} files`, process.stderr);
    for (const [i, { path, label }] of files.entries()) {
      await naming(path, async () => {
        const { samples, sampleRate } = await samplesOf(path, options, warnings);
        rec.addExample(label, samples, sampleRate);
      });
      reading.update((i + 1) / files.length);
    }
    reading.done();
    warnings.forEach((w) => note(`warning: ${w}`));
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
    await writeOutput(options.output, JSON.stringify(rec.toJSON()));
    const counts = labels.map((l) => `${printable(l)} (${rec.exampleCount(l)})`).join(', ');
    console.log(`trained ${labels.length} words from ${files.length} files: ${counts}`);
    console.log(`model written to ${printable(options.output)}`);
  } finally {
    rec.dispose();
  }
}

async function classify(modelPath, paths, options) {
  const gmmhmm = await load();
  const rec = await readModel(gmmhmm, modelPath, options);
  try {
    let failures = 0;
    for (const path of paths) {
      try {
        const warnings = [];
        const r = await naming(path, async () => {
          const { samples, sampleRate } = await samplesOf(path, options, warnings);
          return rec.classify(samples, sampleRate);
        });
        warnings.forEach((w) => note(`warning: ${w}`));
        const file = printable(path);
        if (options.json) {
          console.log(JSON.stringify({ file: path, label: r.label, confidence: r.confidence, rejected: r.rejected, reason: r.reason,
            scores: r.scores }));
        } else if (r.rejected) {
          const closest = r.label === null ? '' : `\tclosest: ${printable(r.label)} ${(100 * r.confidence).toFixed(1)} %`;
          console.log(`${file}\trejected (${r.reason})${closest}`);
        } else {
          console.log(`${file}\t${printable(r.label)}\t${(100 * r.confidence).toFixed(1)} %`);
        }
      } catch (error) {
        failures++;
        note(`error: ${error.message}`);
      }
    }
    if (failures > 0) process.exitCode = 1;
  } finally {
    rec.dispose();
  }
}

// Files labelled with words the model lacks count as errors (right for words it should reject;
// a wrong --label-pattern otherwise reports 0 % without a hint): said before the report.
function unknownLabels(files, known) {
  const words = new Set(known);
  const unknown = new Map();
  for (const { label } of files) if (!words.has(label)) unknown.set(label, (unknown.get(label) ?? 0) + 1);
  if (unknown.size === 0) return [];
  const count = [...unknown.values()].reduce((a, b) => a + b, 0);
  const listed = [...unknown].slice(0, 5).map(([label, n]) => `${printable(label)} (${n})`).join(', ');
  return [`warning: ${count} of ${files.length} files are labelled with words the model does not know: ${listed}${unknown.size > 5 ? ', ...' : ''}; ` +
    'they count as errors (the model knows ' + `${[...words].slice(0, 5).map(printable).join(', ')}${words.size > 5 ? ', ...' : ''}; check the folders or --label-pattern)`];
}

async function evaluate(modelPath, folder, options) {
  const gmmhmm = await load();
  const rec = await readModel(gmmhmm, modelPath, options);
  try {
    const { files, notes } = await labelledFiles(folder, options['label-pattern'] ?? null);
    notes.forEach(note);
    unknownLabels(files, rec.labels).forEach(note);
    const warnings = [];
    const bar = new ProgressBar(`classifying ${files.length} files`, process.stderr);
    const outcomes = [];
    // A file that cannot be read is named and left out; the others are still reported (as
    // classify does), and the exit status says something went wrong.
    const errors = [];
    for (const [i, { path, label }] of files.entries()) {
      try {
        const r = await naming(path, async () => {
          const { samples, sampleRate } = await samplesOf(path, options, warnings);
          return rec.classify(samples, sampleRate);
        });
        outcomes.push({ path, truth: label, label: r.label, rejected: r.rejected });
      } catch (error) {
        errors.push({ file: path, message: error.message });
      }
      bar.update((i + 1) / files.length);
    }
    bar.done();
    warnings.forEach((w) => note(`warning: ${w}`));
    errors.forEach(({ message }) => note(`error: ${message}`));
    if (errors.length > 0) {
      note(`${errors.length} of ${files.length} files could not be classified and are left out of the report`);
      process.exitCode = 1;
    }
    if (outcomes.length === 0) throw new Error(`no file of ${printable(folder)} could be classified`);
    const report = confusionReport(outcomes, rec.labels);
    // errors: the files left out ({ file, message }), only when there are some.
    if (options.json) console.log(JSON.stringify(errors.length > 0 ? { ...report.summary, errors } : report.summary));
    else console.log(report.text);
  } finally {
    rec.dispose();
  }
}

async function listen(modelPath, wavPath, options) {
  const gmmhmm = await load();
  const rec = await readModel(gmmhmm, modelPath, options);
  try {
    const { errors } = await listenToFile(rec, wavPath, options, (line) => console.log(line), note);
    errors.forEach((message) => note(`error: ${printable(wavPath)}: ${message}`));
    if (errors.length > 0) process.exitCode = 1;
  } finally {
    rec.dispose();
  }
}

async function main(argv) {
  const line = parseCommandLine(argv);
  if (line.help) return console.log(HELP);
  if (line.version) return console.log(`gmmhmm ${VERSION}`);
  const { command, args, options } = line;
  if (command === 'train') await train(args[0], options);
  else if (command === 'classify') await classify(args[0], args.slice(1), options);
  else if (command === 'listen') await listen(args[0], args[1], options);
  else await evaluate(args[0], args[1], options);
}

// `gmmhmm listen model.json long.wav | head`: the reader has gone, so there is no one to
// answer; stop as other command-line tools do (SIGPIPE), without a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  // Any other failure to write (a full disk): said once, like every other error.
  console.error(`gmmhmm: error: cannot write the output: ${error.message}`);
  process.exit(1);
});

main(process.argv.slice(2)).catch((error) => {
  const usage = error instanceof UsageError;
  console.error(`gmmhmm: error: ${error.message}`);
  if (usage) console.error(`${USAGE}\n(gmmhmm --help for more)`);
  process.exitCode = usage ? 2 : 1;
});
