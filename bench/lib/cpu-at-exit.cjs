// Preloaded (`node --require`) into a command a bench times: writes the process's CPU time (user +
// system, microseconds) to $BENCH_CPU_FILE at exit. On a loaded machine the wall clock measures the
// queue for a core; CPU time is the command's own work.
process.on('exit', () => {
  const file = process.env.BENCH_CPU_FILE;
  if (file) require('node:fs').writeFileSync(file, JSON.stringify(process.cpuUsage()));
});
