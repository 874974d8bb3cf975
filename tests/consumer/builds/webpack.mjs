// webpack 5 with nothing but the entry and the mode, or (--wasm-size-hint-off) with the
// README's line that keeps webpack's size hint off the .wasm. Prints { warnings, errors } as JSON.
import path from 'node:path';
import webpack from 'webpack';

const config = { mode: 'production', context: process.cwd(), entry: './app.js', output: { path: path.resolve('dist') } };
if (process.argv.includes('--wasm-size-hint-off')) {
  config.performance = { assetFilter: (file) => !file.endsWith('.wasm') };
}
const compiler = webpack(config);
const stats = await new Promise((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result))));
const { warnings, errors } = stats.toJson({ all: false, warnings: true, errors: true });
await new Promise((resolve) => compiler.close(resolve));
console.log(JSON.stringify({ warnings: warnings.map((w) => w.message), errors: errors.map((e) => e.message) }));
