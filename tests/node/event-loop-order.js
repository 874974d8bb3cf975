// Run by event-loop.test.js in a child Node: which runs first after `await load()`, a timer
// that is already due or an immediate? Inside the event loop the immediate (the loop is in its
// poll phase, and the check phase comes next); inside NodePlatform::DrainTasks, outside the
// loop, the timer (the loop starts again with its timers).
import { load } from 'gmmhmm';

await load();
const seen = [];
setTimeout(() => seen.push('timeout'), 0);
setImmediate(() => seen.push('immediate'));
const due = Date.now() + 5;
while (Date.now() < due) { /* the timer is due before either can run */ }
setTimeout(() => process.stdout.write(`${seen.join(',')}\n`), 20);
