// esbuild's ES-module bundle. Prints { warnings } as JSON.
import { build } from 'esbuild';

const result = await build({ entryPoints: ['app.js'], bundle: true, format: 'esm', outdir: 'dist', logLevel: 'silent' });
console.log(JSON.stringify({ warnings: result.warnings.map((w) => w.text) }));
