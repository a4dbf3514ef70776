// Preloaded (node -r) into every process the benchmarks measure: reports
// the CPU time the process used (all its threads) when it exits, which a busy
// machine does not inflate the way it inflates wall-clock time, and its peak
// memory (maxRSS).
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\nbench-cpu-us ${user + system}\nbench-maxrss-kb ${process.resourceUsage().maxRSS}\n`);
});
