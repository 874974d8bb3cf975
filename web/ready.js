// Top-level-await convenience: the API, loaded with the default options.
//   import gmmhmm from 'gmmhmm/ready';
//   const { mfcc } = gmmhmm;
// ES modules only: require('gmmhmm/ready') cannot wait for the load (Node's require() of a
// module with top-level await fails with ERR_REQUIRE_ASYNC_MODULE); CommonJS code uses
// `await require('gmmhmm').load()` or `(await import('gmmhmm/ready')).default`.
// 'gmmhmm' is this package (a self-reference), resolved for Node or for browsers.
import { load } from 'gmmhmm';

const gmmhmm = await load();
export default gmmhmm;
