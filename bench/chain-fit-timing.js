// The timing loop of the families' EM benchmarks (bench/categorical.bench.js,
// bench/poisson.bench.js): `rounds` fits of `iterations` Baum-Welch iterations from the same
// start (initParams '', tol -Infinity), best CPU and wall time, printed as frame-iterations / s.
export function timeFits({ create, start, X, lengths, rounds, iterations, title }) {
  let bestCpu = Infinity, bestWall = Infinity;
  for (let r = 0; r < rounds; r++) {
    const m = create({ initParams: '', tol: -Infinity, nIter: iterations });
    for (const [name, value] of Object.entries(start)) m[name] = value;
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    m.fit(X, lengths);
    const cpu = process.cpuUsage(cpu0);
    bestWall = Math.min(bestWall, (performance.now() - wall0) / 1000);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
    if (m.monitor.iterations !== iterations) throw new Error(`ran ${m.monitor.iterations} iterations`);
    m.dispose();
  }
  const work = lengths.reduce((a, b) => a + b, 0) * iterations;
  console.log(`${title}, ${iterations} EM iterations:`);
  console.log(`  ${(work / bestCpu / 1e6).toFixed(2)} M frame-iterations / s CPU (${bestCpu.toFixed(3)} s), ${(work / bestWall / 1e6).toFixed(2)} M / s wall (${bestWall.toFixed(3)} s)`);
}
