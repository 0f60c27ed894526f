/**
 * `autotask-sync demo [--once] [--port N]`: the whole pipeline against the built-in sandbox, with a progress
 * display and a summary; keeps serving the dashboard until Ctrl-C, or exits 0 after the summary with --once.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '../lib/logger.js';
import { startDemo } from '../demo/run-demo.js';
import { formatSummary } from '../demo/summary.js';
import { waitForShutdownSignal } from '../app/shutdown.js';

export const USAGE = 'usage: autotask-sync demo [--once] [--port <http port, default PORT or 3000; 0 = any>]\n';

export async function demoCommand(argv: string[]): Promise<number> {
  let values: { once?: boolean; port?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { once: { type: 'boolean' }, port: { type: 'string' } }, strict: true }));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65_535)) {
    process.stderr.write(`--port: not a port number: ${values.port}\n${USAGE}`);
    return 2;
  }
  // Logs go to stderr at warn, so the summary on stdout stays readable.
  const logger = createLogger({ level: 'warn', destination: process.stderr as never });
  process.stdout.write('autotask-sync demo: starting the sandbox tenant and a worker, then running sync-all…\n');
  const onProgress = (line: string): void => { process.stdout.write(`${line}\n`); };
  const demo = await startDemo({ logger, ...(port !== undefined ? { port } : {}), onProgress }).catch((error: unknown) => {
    // A first run should not fail because something else already listens on 3000: take any free port instead.
    if (port !== undefined || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    process.stdout.write('  (the HTTP port is in use; serving on a free port instead)\n');
    return startDemo({ logger, port: 0, onProgress });
  });
  process.stdout.write(`${formatSummary(demo.summary, { once: values.once === true })}\n`);
  if (values.once) {
    await demo.close();
    return 0;
  }
  process.stdout.write('\nServing the dashboard and API; Ctrl-C to stop.\n');
  const signals = waitForShutdownSignal(() => process.exit(1));
  await signals.signal;
  signals.dispose();
  await demo.close();
  return 0;
}
