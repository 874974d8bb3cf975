// The timing loop of the families' EM benchmarks (bench/categorical.bench.js,
// bench/poisson.bench.js): `rounds` fits of `iterations` Baum-Welch iterations from the same
// start (initParams '', tol -Infinity), best CPU and wall time, printed as frame-iterations / s;
// then, where the build has it, the same with fitAsync and `workers` Workers started ahead
// (prepareWorkers), best wall time, and its ratio to fit()'s.
export async function timeFits({ g, create, start, X, lengths, rounds, iterations, title, workers = 2 }) {
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
  const probe = create({});
  const hasAsync = typeof probe.fitAsync === 'function';
  probe.dispose();
  if (!hasAsync || !workers) return;
  const ready = await g.GMMHMM.prepareWorkers({ workers });
  let bestAsync = Infinity;
  for (let r = 0; r < rounds; r++) {
    const m = create({ initParams: '', tol: -Infinity, nIter: iterations });
    for (const [name, value] of Object.entries(start)) m[name] = value;
    const wall0 = performance.now();
    await m.fitAsync(X, { lengths, workers });
    bestAsync = Math.min(bestAsync, (performance.now() - wall0) / 1000);
    m.dispose();
  }
  console.log(`  fitAsync, ${ready} Workers: ${(work / bestAsync / 1e6).toFixed(2)} M / s wall (${bestAsync.toFixed(3)} s), x${(bestWall / bestAsync).toFixed(2)} fit()'s wall`);
  await g.terminateWorkers();
}
