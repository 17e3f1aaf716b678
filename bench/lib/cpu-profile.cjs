// Preloaded into a Correio process by bench/delivery.mjs --profile (node --require, through
// NODE_OPTIONS, where Node 20 does not allow --cpu-prof): samples the CPU from start to exit and
// writes a .cpuprofile (Chrome DevTools format) into BENCH_CPU_PROFILE_DIR when the process exits.
// With BENCH_CPU_PROFILE_ON_SIGNAL=1 (bench/webmail-api.mjs --profile) it samples only between two
// SIGUSR2s instead, so the profile holds the load and not the start-up, and is written at the second.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  let n = 0;
  const write = () =>
    // The in-process session answers synchronously, so this works inside an 'exit' handler.
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(path.join(dir, `correio-${process.pid}-${n++}.cpuprofile`), JSON.stringify(result.profile));
    });
  if (process.env.BENCH_CPU_PROFILE_ON_SIGNAL) {
    let running = false;
    process.on('SIGUSR2', () => {
      if (running) write();
      else session.post('Profiler.start');
      running = !running;
    });
  } else {
    session.post('Profiler.start');
    process.on('exit', write);
  }
}
