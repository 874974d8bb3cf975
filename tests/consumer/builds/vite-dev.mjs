// Vite's dev server with no configuration, or (--exclude) with the README's one line:
// optimizeDeps: { exclude: ['gmmhmm'] }. Prints { url } as JSON, then serves until killed.
import { createServer } from 'vite';

const config = process.argv.includes('--exclude') ? { optimizeDeps: { exclude: ['gmmhmm'] } } : {};
const server = await createServer({
  root: process.cwd(), configFile: false, logLevel: 'warn', server: { host: '127.0.0.1', port: 0 }, ...config,
});
await server.listen();
console.log(JSON.stringify({ url: `http://127.0.0.1:${server.httpServer.address().port}/` }));
