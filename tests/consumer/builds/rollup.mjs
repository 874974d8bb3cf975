// Rollup with @rollup/plugin-node-resolve (which Rollup needs for any npm package). Prints
// { warnings } as JSON.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rollup } from 'rollup';

const warnings = [];
const bundle = await rollup({ input: 'app.js', plugins: [nodeResolve()], onwarn: (warning) => warnings.push(warning.message) });
await bundle.write({ dir: 'dist', format: 'es' });
await bundle.close();
console.log(JSON.stringify({ warnings }));
