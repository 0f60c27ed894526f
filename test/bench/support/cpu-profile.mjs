// Preloaded into a benchmarked worker process (NODE_OPTIONS=--import; Node 20 refuses --cpu-prof there): samples
// the process's CPU through the inspector and writes a .cpuprofile to CPU_PROFILE_FILE when the process exits.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

// eslint-disable-next-line no-restricted-properties -- a preload of the bench, not the product: it has no config to read
const file = process.env.CPU_PROFILE_FILE;
if (file) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  // The main thread's session answers synchronously, so the profile is written before the process ends.
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(file, JSON.stringify(result.profile));
    });
  });
}
