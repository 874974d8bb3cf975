// `vite build` with no configuration, as a build script calls it. Prints { warnings } as JSON.
import { build, createLogger } from 'vite';

const warnings = [];
const logger = createLogger('warn');
const warn = logger.warn;
logger.warn = (message, options) => {
  warnings.push(message);
  warn(message, options);
};
await build({ root: process.cwd(), configFile: false, customLogger: logger });
console.log(JSON.stringify({ warnings }));
