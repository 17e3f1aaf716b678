// Preloaded into a Correio process by bench/delivery.mjs --profile (node --require, through
// NODE_OPTIONS, where Node 20 does not allow --cpu-prof): samples the CPU from start to exit and
// writes a .cpuprofile (Chrome DevTools format) into BENCH_CPU_PROFILE_DIR when the process exits.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const path = require('node:path');

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  process.on('exit', () => {
    // The in-process session answers synchronously, so this works inside an 'exit' handler.
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(path.join(dir, `correio-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
