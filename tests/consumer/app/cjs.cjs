// The package from CommonJS, as the README says: require('gmmhmm') (Node's require() of an
// ES module, in every Node that package.json "engines" names), and 'gmmhmm/ready' through
// import() (it waits at top level, which require() cannot). Prints one JSON line.
const { load, GmmHmmError } = require('gmmhmm');

async function main() {
  const gmmhmm = await load();
  const rows = gmmhmm.mfcc(new Float32Array(16000), 16000).length;
  let requireReady;
  try {
    require('gmmhmm/ready');
    requireReady = 'loaded';
  } catch (error) {
    requireReady = error.code;
  }
  const ready = (await import('gmmhmm/ready')).default;
  console.log(JSON.stringify({ rows, gmmhmmError: typeof GmmHmmError, requireReady, readyRows: ready.mfcc(new Float32Array(16000), 16000).length }));
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
