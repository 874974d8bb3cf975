// What a Worker loads for the build the page posted: the page's module, else its variant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workerLoadOptions } from '../../web/lib/worker-load-options.js';

test("a Worker loads the page's compiled module, else the page's variant, else the default", () => {
  const module = {};
  assert.deepEqual(workerLoadOptions({ module, variant: 'nosimd' }), { wasmModule: module, variant: 'nosimd' });
  // An environment that cannot clone a WebAssembly.Module posts module: null.
  assert.deepEqual(workerLoadOptions({ module: null, variant: 'nosimd' }), { variant: 'nosimd' });
  assert.deepEqual(workerLoadOptions(null), {});
  assert.deepEqual(workerLoadOptions(undefined), {});
});
