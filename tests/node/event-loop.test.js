// load() must not leave Node's event loop empty while the wasm compiles. If it does, Node's main
// thread waits for every V8 background task in NodePlatform::DrainTasks and runs the code after
// `await load()` from inside that wait; a concurrent optimisation of that code which needs a
// garbage collection from the main thread then waits for it for ever, and the process hangs at
// 0 % CPU (seen as `npm test` stalling in this suite's first file). V8's
// --stress-concurrent-inlining makes such optimisations frequent: without the fix in
// web/lib/platform/node.js, 6 of 10 runs of work-after-load.js hung.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./work-after-load.js', import.meta.url));
const RUNS = 6;
// A process whose CPU time has not moved for this long while alive is stuck, not slow.
const STILL_SECONDS = 20;

const cpuTicks = (pid) => {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
};

// Resolves to { code, output } when the child ends, or { stuck: true, output } when its CPU
// time stood still for STILL_SECONDS (it is killed). Its output goes to a file, not a pipe: a
// pipe's handle sometimes keeps the event loop busy and hides the hang. The child is a plain
// program, not a test file of this runner (NODE_TEST_CONTEXT unset).
function runChild(dir, run) {
  const file = path.join(dir, `run-${run}.txt`);
  const fd = fs.openSync(file, 'w');
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--stress-concurrent-inlining', CHILD], { stdio: ['ignore', fd, fd], env });
  fs.closeSync(fd);
  const output = () => fs.readFileSync(file, 'utf8');
  return new Promise((resolve) => {
    let last = -1;
    let still = 0;
    const watch = setInterval(() => {
      const ticks = cpuTicks(child.pid);
      if (ticks === null) return;
      still = ticks === last ? still + 1 : 0;
      last = ticks;
      if (still >= STILL_SECONDS) {
        clearInterval(watch);
        child.kill('SIGKILL');
        resolve({ stuck: true, output: output() });
      }
    }, 1000);
    child.on('exit', (code) => {
      clearInterval(watch);
      resolve({ code, output: output() });
    });
  });
}

test('work right after await load() never deadlocks Node (V8 optimising concurrently)', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gmmhmm-event-loop-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (let run = 1; run <= RUNS; run++) {
    const { stuck, code, output } = await runChild(dir, run);
    assert.ok(!stuck, `run ${run}: the process stopped using CPU after '${output.trim()}' (steps: l load, f fit, t train)`);
    assert.equal(code, 0, `run ${run} failed: ${output}`);
    assert.equal(output.trim(), 'lft.');
  }
});
