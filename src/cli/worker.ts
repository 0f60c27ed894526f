/**
 * `autotask-sync worker`: BullMQ worker, the config's schedules and the HTTP server (health, readiness, metrics,
 * dashboard, admin API) until SIGTERM/SIGINT; then drain (config.queue.shutdownGraceMs) and exit 0.
 * A second signal while draining exits at once with 1.
 */
import { errorMessage } from '../lib/errors.js';
import { productRoutes } from '../http/routes/index.js';
import type { ExtraRoute } from '../http/server.js';
import { cliEnvironment, resolveCliDeps, type CliDeps } from '../app/bootstrap.js';
import { startRuntime } from '../app/process.js';
import { waitForShutdownSignal } from '../app/shutdown.js';

export const USAGE = 'usage: autotask-sync worker   (settings come from the environment and SYNC_CONFIG)\n';

export interface WorkerCommandDeps extends CliDeps {
  extraRoutes: ExtraRoute[];
  /** Resolves when the process should stop (default: the first SIGTERM/SIGINT). */
  stopSignal?: Promise<unknown>;
}

export async function workerCommand(argv: string[], partial: Partial<WorkerCommandDeps> = {}): Promise<number> {
  const deps = resolveCliDeps(partial);
  if (argv.length > 0) { deps.stderr.write(USAGE); return 2; }
  const env = cliEnvironment(deps, 'stdout');
  const signals = waitForShutdownSignal((signal) => {
    env.logger.fatal({ signal }, 'second signal while draining: exiting now');
    process.exit(1);
  });
  try {
    const runtime = await startRuntime({
      config: env.config, logger: env.logger, registry: deps.registry, clientFactory: env.clientFactory,
      http: { port: env.config.port, extraRoutes: partial.extraRoutes ?? productRoutes },
      beforeRedisClose: [env.closeClients], waitForRedis: true,
    });
    if (!env.config.adminToken) {
      env.logger.warn('ADMIN_TOKEN is not set: the console, the dashboard and /api/* refuse every request until you set one (16+ characters)');
    }
    env.logger.info({ tenants: runtime.services.tenants.ids, concurrency: env.config.queue.concurrency }, 'worker running');
    const reason = await Promise.race([signals.signal, partial.stopSignal ?? new Promise<never>(() => undefined)]);
    env.logger.info({ reason }, 'shutting down: no new jobs; running ones get the grace period');
    const clean = await runtime.close();
    env.logger.info({ clean }, 'worker stopped');
    return 0;
  } catch (error) {
    env.logger.error({ err: error }, `worker failed to start: ${errorMessage(error)}`);
    throw error;
  } finally {
    signals.dispose();
  }
}
