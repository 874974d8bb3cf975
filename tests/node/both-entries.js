// A process that imports both 'gmmhmm' and 'gmmhmm/words' (in the order of argv[2]: "full" or
// "words" first): each build's Workers must be its own (tests/node/words.test.js runs this
// once per order). Prints one JSON line.
const first = process.argv[2] === 'words' ? ['gmmhmm/words', 'gmmhmm'] : ['gmmhmm', 'gmmhmm/words'];
const modules = {};
for (const name of first) modules[name] = await import(name);
const [full, words] = await Promise.all([modules.gmmhmm.load(), modules['gmmhmm/words'].load()]);

const out = {};
out.wordsWorkers = await words.Recognizer.prepareWorkers({ workers: 2 });
out.fullWorkers = await full.Recognizer.prepareWorkers({ workers: 2 });
// A parallel fit needs the whole package's Worker (the words-only one has no GMMHMM).
const next = ((s) => () => (s = (s * 16807) % 2147483647) / 2147483647)(7);
const X = Array.from({ length: 400 }, (_, i) => [Math.sin(i / 9) + 0.1 * next(), Math.cos(i / 13) + 0.1 * next()]);
const model = new full.GMMHMM({ nStates: 2, nMix: 1, nIter: 3, seed: 1 });
await model.fitAsync(X, { lengths: [200, 200], workers: 2 });
out.fitAsync = Number.isFinite(model.score(X));
model.dispose();
await Promise.all([full.terminateWorkers(), words.terminateWorkers()]);
console.log(JSON.stringify(out));
