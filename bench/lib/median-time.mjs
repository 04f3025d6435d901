/**
 * Runs `fn` `runs` times in a row and returns the median wall time and the last result: the
 * machine is shared, so one run says little.
 */
export async function medianTime(fn, runs) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result };
}
