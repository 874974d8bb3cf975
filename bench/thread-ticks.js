// CPU time of every thread of this process, for the benchmarks that time Workers
// (bench/fit-async-compare.js, bench/fsdd-train-time.js).
import fs from 'node:fs';

export const TICK_MS = 10;  // USER_HZ = 100 on Linux

/** CPU ticks (user + system) of every thread of this process: Map tid -> ticks; null off Linux. */
export function threadTicks() {
  try {
    const out = new Map();
    for (const tid of fs.readdirSync('/proc/self/task')) {
      let stat;
      try {
        stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      } catch {
        continue;  // a thread that ended meanwhile
      }
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), Number(fields[11]) + Number(fields[12]));  // utime, stime
    }
    return out;
  } catch {
    return null;
  }
}
