// The commands and options of `gmmhmm`, declared once: the parser, the checks and --help are
// derived from these tables.
import { readFileSync } from 'node:fs';
import { constants } from 'node:buffer';
import { parseArgs } from 'node:util';
import { LABEL_RULE } from '../lib/labels.js';
import { LISTENER_OPTIONS } from '../lib/listener.js';

export const VERSION = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

/** A mistake in the command line: reported with the usage, exit status 2. */
export class UsageError extends Error {}

const MB = 1024 * 1024;
const MAX_FILE_MB = Math.floor(constants.MAX_LENGTH / MB); // the largest Buffer Node can make

function wholeNumber(name, text, min, max) {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !(n >= min && n <= max)) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return n;
}

function decimal(name, text, min, max) {
  const n = Number(text);
  if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)\s*$/.test(text) || !(n >= min && n <= max)) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got '${text}'`);
  }
  return n;
}

const SENSITIVITY = LISTENER_OPTIONS.find((o) => o.name === 'sensitivity');
const HANGOVER = LISTENER_OPTIONS.find((o) => o.name === 'hangover');

export const OPTIONS = {
  output: {
    short: 'o', value: '<model.json>', commands: ['train'],
    help: 'where the trained recognizer is written (JSON); required. See "Output file" below.',
    parse: (text) => {
      if (text === '') throw new UsageError('-o needs a file name, got an empty one');
      return text;
    },
  },
  'label-pattern': {
    value: '<regex>', commands: ['train', 'eval'],
    help: "labels from file names: a JavaScript regular expression whose first group is the label (FSDD: '^(\\d)_'; " +
      'a pattern without a group gives the whole match); without it, labels are subfolder names',
    parse: (text) => {
      try {
        return new RegExp(text);
      } catch (error) {
        throw new UsageError(`--label-pattern is not a valid regular expression: ${error.message}`);
      }
    },
  },
  workers: {
    value: '<n|auto>', default: 'auto', commands: ['train'],
    help: "threads that train words in parallel: 'auto' (one per core, up to 8), or 0 to 256 (0: none, train in this thread)",
    parse: (text) => (text === 'auto' ? undefined : wholeNumber('workers', text, 0, 256)),
  },
  json: {
    boolean: true, commands: ['classify', 'eval', 'listen'],
    help: 'print JSON instead of text (classify, listen: one object per line)',
  },
  sensitivity: {
    value: '<nats>', default: String(SENSITIVITY.default), commands: ['listen'],
    help: `${SENSITIVITY.help} (${SENSITIVITY.min} to ${SENSITIVITY.max})`,
    parse: (text) => decimal('sensitivity', text, SENSITIVITY.min, SENSITIVITY.max),
  },
  hangover: {
    value: '<ms>', default: String(HANGOVER.default), commands: ['listen'],
    help: `${HANGOVER.help}; shorter answers sooner but may cut a word at a pause inside it (docs/listening.md)`,
    parse: (text) => decimal('hangover', text, 10, 10000),
  },
  'max-file-size': {
    value: '<MB>', default: '256', commands: ['train', 'classify', 'eval', 'listen'],
    help: `largest WAV or model file read (listen: the model; its WAV is read in blocks), in megabytes (1 to ${MAX_FILE_MB}); larger files are refused before reading`,
    parse: (text) => wholeNumber('max-file-size', text, 1, MAX_FILE_MB) * MB,
  },
};

export const COMMANDS = {
  train: { args: '<folder>', count: [1, 1], help: 'train one model per word on the labelled WAV files of <folder> and write the recognizer (-o)' },
  classify: { args: '<model.json> <file.wav>...', count: [2, Infinity], help: 'print the word heard in each file (tab-separated: file, word, confidence)' },
  eval: { args: '<model.json> <folder>', count: [2, 2], help: 'classify labelled files; print accuracy, recall per label and the confusion matrix' },
  listen: {
    args: '<model.json> <file.wav>', count: [2, 2],
    help: 'spot the words in a recording of any length (read in blocks, constant memory): one line per word found ' +
      '(tab-separated: start and end in seconds, word and confidence, or "rejected (reason)" and the closest word)',
  },
};

/** `text` in lines of at most `width` characters, each after `indent` spaces (the first after `first`). */
function wrap(first, text, indent = 28, width = 100) {
  const lines = [];
  let line = first.padEnd(indent);
  for (const word of text.split(' ')) {
    if (line.trim().length > 0 && line.length + 1 + word.length > width && line.length > indent) {
      lines.push(line.trimEnd());
      line = ' '.repeat(indent);
    }
    line += (line.length > indent ? ' ' : '') + word;
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

const flag = (name) => (OPTIONS[name].short ? `-${OPTIONS[name].short}, --${name}` : `--${name}`);
const optionsOf = (command) => Object.keys(OPTIONS).filter((name) => OPTIONS[name].commands.includes(command));

function usageLine(command) {
  const options = optionsOf(command).map((name) => {
    const o = OPTIONS[name];
    const text = `${o.short ? `-${o.short}` : `--${name}`}${o.boolean ? '' : ` ${o.value}`}`;
    return name === 'output' ? text : `[${text}]`;
  });
  return `  gmmhmm ${command} ${COMMANDS[command].args} ${options.join(' ')}`;
}

export const USAGE = `usage:\n${Object.keys(COMMANDS).map(usageLine).join('\n')}\n  gmmhmm --help | --version`;

export const HELP = `gmmhmm ${VERSION}: train, use and evaluate a spoken-word recognizer from WAV files.

${USAGE}

commands:
${Object.entries(COMMANDS).map(([name, c]) => wrap(`  ${name}`, c.help, 12)).join('\n')}

options:
${Object.entries(OPTIONS).map(([name, o]) => {
    const head = `  ${flag(name)}${o.boolean ? '' : ` ${o.value}`}`;
    const defaults = o.default === undefined ? '' : ` (default ${o.default})`;
    return wrap(head, `${o.commands.join(', ')}: ${o.help}${defaults}`);
  }).join('\n')}
${wrap('  -h, --help', 'this help')}
${wrap('  --version', `the version (${VERSION})`)}

${wrap('Labels:', 'subfolder names (<folder>/<label>/*.wav), or file names with --label-pattern (files in ' +
  `<folder> and two levels of subfolders). A label must be, as in the library, ${LABEL_RULE} (characters are ` +
  'UTF-16 code units: an emoji counts 2); a folder or file name that gives another is an error naming it. Symbolic ' +
  "links are followed (each folder read once, each file used once); hidden names ('.x') are skipped.", 2, 96)}
WAV files: PCM 8 to 32-bit, float 32/64, A-law, mu-law, plain or WAVE_FORMAT_EXTENSIBLE, RF64;
  channels are averaged. The sample rate must suit the recognizer's front end (the default one:
  7.6 kHz to 1 MHz). Unreadable files and unusable rates are errors naming the file.
Output file (-o): checked before training (its folder must exist and be writable); the model is
  written to a new temporary file in the same folder and renamed over the target, so a failure
  leaves no half-written model. Only a regular file is replaced (keeping its permissions); a
  symbolic link, device, FIFO, socket or folder at that path is refused, never replaced or
  written through, and so is one of the WAV files being trained on.
Exit status: 0 done, 1 an error (on stderr, naming the file), 2 a mistake in the command line.`;

/** Long and short flags of the options that take a value. */
const VALUE_FLAGS = new Set(Object.entries(OPTIONS).filter(([, o]) => !o.boolean)
  .flatMap(([name, o]) => [`--${name}`, ...(o.short ? [`-${o.short}`] : [])]));

/**
 * argv with `--sensitivity -5` written as `--sensitivity=-5`: parseArgs takes a value that
 * starts with a dash only in that form, but a negative number is plainly a value.
 */
function joinNegativeValues(argv) {
  const out = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (VALUE_FLAGS.has(argv[i]) && /^-(\d|\.\d)/.test(argv[i + 1] ?? '')) {
      out.push(argv[i].startsWith('--') ? `${argv[i]}=${argv[i + 1]}` : `${argv[i]}${argv[i + 1]}`);
      i++;
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}

/**
 * Parses argv. Returns { help: true } | { version: true } | { command, args, options } where
 * options holds every option of the command, parsed (defaults filled in). Throws UsageError.
 */
export function parseCommandLine(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: joinNegativeValues(argv),
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        ...Object.fromEntries(Object.entries(OPTIONS).map(([name, o]) => [name, { type: o.boolean ? 'boolean' : 'string',
          ...(o.short ? { short: o.short } : {}) }])),
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(error.message);
  }
  const { values, positionals, tokens } = parsed;
  if (values.help) return { help: true };
  if (values.version) return { version: true };
  // parseArgs keeps the last of a repeated option; a second value is more likely a mistake
  // (two sensitivities, two outputs) than a wish to override the first.
  const given = new Set();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (given.has(token.name)) throw new UsageError(`${flag(token.name)} is given more than once`);
    given.add(token.name);
  }
  const [command, ...args] = positionals;
  if (command === undefined) throw new UsageError('no command given');
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command '${command}'`);
  for (const name of Object.keys(values)) {
    if (!OPTIONS[name].commands.includes(command)) {
      throw new UsageError(`${flag(name)} does not apply to ${command} (its options: ${optionsOf(command).map(flag).join(', ')})`);
    }
  }
  const [min, max] = COMMANDS[command].count;
  if (args.length < min || args.length > max) {
    throw new UsageError(`${command} takes ${COMMANDS[command].args}, got ${args.length} argument${args.length === 1 ? '' : 's'}`);
  }
  const options = {};
  for (const name of optionsOf(command)) {
    const o = OPTIONS[name];
    const text = values[name] ?? o.default;
    options[name] = o.boolean ? Boolean(text) : text === undefined ? undefined : o.parse(text);
  }
  if (command === 'train' && options.output === undefined) throw new UsageError('train needs -o <file> (where the recognizer is written)');
  return { command, args, options };
}
