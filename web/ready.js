// Top-level-await convenience: the API, loaded with the default options.
//   import gmmhmm from 'gmmhmm/ready';
//   const { mfcc } = gmmhmm;
import { load } from './index.js';

const gmmhmm = await load();
export default gmmhmm;
