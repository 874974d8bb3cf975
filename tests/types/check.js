// Runs tsc on tests/types (strict, TypeScript's default libs) and compares what it reports
// with what the files expect: usage.ts compiles (tsconfig.json; its @ts-expect-error lines
// must fail), and mistakes.ts (tsconfig.mistakes.json) gives exactly the errors its
// `// error TSxxxx` comments name, line by line. Used by tests/node/package.test.js (the
// repository) and tests/consumer (the packed package, in a folder of its own).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const TYPES_DIR = path.dirname(fileURLToPath(import.meta.url));

/** `// error TSnnnn` comments of a file: 'line:code' strings. */
export function expectedErrors(file) {
  return fs.readFileSync(file, 'utf8').split('\n').flatMap((line, i) => {
    const match = line.match(/\/\/ error (TS\d+)\s*$/);
    return match ? [`${i + 1}:${match[1]}`] : [];
  });
}

/** Runs `tsc -p tsconfig` in `cwd`; returns its errors as { file, line, code, text }. */
export function runTsc(tsc, tsconfig, cwd) {
  let output = '';
  let status = 0;
  try {
    output = execFileSync(process.execPath, [tsc, '-p', tsconfig, '--pretty', 'false'], { cwd, encoding: 'utf8' });
  } catch (error) {
    output = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    status = error.status ?? -1;
  }
  const errors = [...output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)].map(([, file, line, code, text]) => ({
    file: path.basename(file), line: Number(line), code, text,
  }));
  // tsc fails only with errors to report: a failure without any is tsc itself not running
  // (not installed, a bad tsconfig), which must not read as "compiles without errors".
  if (status !== 0 && errors.length === 0) throw new Error(`tsc -p ${tsconfig} failed (exit status ${status}):\n${output}`);
  return errors;
}
