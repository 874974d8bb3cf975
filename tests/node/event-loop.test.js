// load() must not leave Node's event loop empty while the wasm compiles. If it does, Node's main
// thread waits for every V8 background task in NodePlatform::DrainTasks and runs the code after
// `await load()` from inside that wait; a concurrent optimisation of that code which needs a
// garbage collection from the main thread then waits for it for ever, and the process hangs at
// 0 % CPU (`npm test` stalled this way in this suite's first file; docs/hardening.md). Whether
// it hangs depends on V8's timing; where the code runs does not: event-loop-order.js tells it
// from the order of a due timer and an immediate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./event-loop-order.js', import.meta.url));

test('the code after await load() runs in the event loop, not inside a drain of V8 tasks', () => {
  // A fresh process (nothing else keeps its loop busy), not a test file of this runner.
  const env = { ...process.env };
  delete env.NODE_TEST_CONTEXT;
  for (let run = 1; run <= 3; run++) {
    const order = execFileSync(process.execPath, [CHILD], { env, encoding: 'utf8' }).trim();
    assert.equal(order, 'immediate,timeout', `run ${run}: the due timer ran first: the code after load() ran outside the event loop`);
  }
});
