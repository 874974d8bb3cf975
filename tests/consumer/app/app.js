// The consumer app: what a web developer writes first. Every bundler of tests/consumer builds
// this same file; the plain page loads it through an import map. It loads the package and
// recognises a word with two training Workers (words.js).
// window.gmmhmmConsumer.run(options) runs it (again) and resolves to what happened; without
// #manual in the address it runs once by itself into window.gmmhmmResult.
import { GmmHmmError, load } from 'gmmhmm';
import { recogniseWord } from './words.js';

async function run({ loadOptions = {}, workers = 2 } = {}) {
  try {
    const gmmhmm = await load(loadOptions);
    return { ok: true, variant: gmmhmm.variant, singleFile: gmmhmm.singleFile, ...(await recogniseWord(gmmhmm, { workers })) };
  } catch (error) {
    return { ok: false, gmmhmmError: error instanceof GmmHmmError, name: error?.name, code: error?.code, message: String(error?.message ?? error) };
  }
}

globalThis.gmmhmmConsumer = { run };
if (!globalThis.location.hash.includes('manual')) {
  run().then((result) => {
    globalThis.gmmhmmResult = result;
  });
}
