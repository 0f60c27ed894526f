/**
 * A worker process: shared Redis connection, per-tenant services, queues, the BullMQ worker, the config's
 * schedules and the HTTP server, started together and closed in order. `autotask-sync worker` runs this until
 * a signal; integration tests run it in process. Several of these may run at once against one Redis (and
 * usually do): nothing here assumes it is alone.
 */
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../../config/schema.js';
import type { JobRegistry } from '../../jobs/registry.js';
import { createMetrics, type RuntimeMetrics } from '../http/metrics.js';
import { createCommands, type ReadinessOptions, type RuntimeCommands } from '../runtime/commands/index.js';
import { buildServer, type ExtraRoute } from '../http/server.js';
import type { Logger } from '../lib/logger.js';
import { errorMessage } from '../lib/errors.js';
import { sleep } from '../lib/sleep.js';
import { createQueues, type RuntimeQueues } from '../runtime/queues.js';
import { describeRedis } from '../../config/redis.js';
import { assertRedisAnswers } from '../runtime/redis-check.js';
import { closeRedis, createRedis } from '../runtime/redis.js';
import { adoptUpgradedTenants } from '../runtime/first-run.js';
import { desiredSchedules, syncSchedules } from '../runtime/schedules.js';
import { createRuntimeServices, type RuntimeServices } from '../runtime/services.js';
import { checkTenantsAtStart } from '../runtime/start-checks.js';
import { runShutdown } from './shutdown.js';
import type { AutotaskClientFactory } from '../runtime/tenant-services.js';
import { startWorker, type RuntimeWorker } from '../runtime/worker.js';

export interface StartRuntimeOptions {
  config: AppConfig;
  logger: Logger;
  registry: JobRegistry;
  clientFactory: AutotaskClientFactory;
  /** Run a BullMQ worker in this process (default true). */
  worker?: boolean;
  /** Upsert config.schedules at start (default true). */
  schedules?: boolean;
  /** Serve HTTP (default: on config.port and config.host); false for none. */
  http?: false | { port?: number; host?: string; extraRoutes?: ExtraRoute[]; readiness?: ReadinessOptions };
  /** Run after the queues close and before Redis does (e.g. closing the tenants' governors). */
  beforeRedisClose?: Array<() => Promise<void>>;
  /**
   * The worker's start: serve HTTP at once and wait for Redis in the background (retrying, one log line per
   * REDIS_WAIT_LOG_MS, /readyz saying why), then upsert the schedules and take jobs. Without it a missing Redis
   * makes the start fail with REDIS_UNAVAILABLE in one line.
   */
  waitForRedis?: boolean;
  /** prom-client process metrics (default true). */
  defaultMetrics?: boolean;
  now?: () => Date;
}

export interface Runtime {
  services: RuntimeServices;
  queues: RuntimeQueues;
  /** What HTTP routes call (src/runtime/commands); also for tests and the demo. */
  commands: RuntimeCommands;
  metrics: RuntimeMetrics;
  worker?: RuntimeWorker;
  server?: FastifyInstance;
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:3000 */
  url?: string;
  /** Resolves once the start checks against the tenants (src/runtime/start-checks.ts) are done; at once without a worker. */
  startChecks(): Promise<void>;
  /** Drain the worker (config.queue.shutdownGraceMs), then close HTTP, queues and Redis. Idempotent. */
  close(): Promise<boolean>;
}

/** While the worker waits for Redis at start: a retry every REDIS_RETRY_MS, a log line every REDIS_WAIT_LOG_MS. */
const REDIS_RETRY_MS = 2_000;
const REDIS_WAIT_LOG_MS = 30_000;

export async function startRuntime(options: StartRuntimeOptions): Promise<Runtime> {
  const { config, logger, registry } = options;
  // A bad schedule is a config error: refuse it before anything starts, Redis or not.
  if (options.schedules !== false) desiredSchedules(config, registry, config.tenants.map((t) => t.id));
  if (!options.waitForRedis) await assertRedisAnswers(config.redis);
  const redis = createRedis(config.redis, 'autotask-sync', logger);
  const services = createRuntimeServices(config, logger, redis, options.clientFactory, options.now);
  const queues = createQueues(redis, config);
  const metrics = createMetrics({ queues, tenants: services.tenants, logger, defaultMetrics: options.defaultMetrics, now: services.now });
  let waitingFor: string | undefined;
  const commands = createCommands({ services, queues, registry },
    { ...(options.http ? { readiness: options.http.readiness } : {}), startup: () => waitingFor });
  let worker: RuntimeWorker | undefined;
  let server: FastifyInstance | undefined;
  let url: string | undefined;
  let closing: Promise<boolean> | undefined;
  const stopWaiting = new AbortController();
  let background: Promise<void> | undefined;
  let startChecks: Promise<void> | undefined;

  const close = (): Promise<boolean> => {
    stopWaiting.abort();
    closing ??= runShutdown([
      { name: 'start', run: async () => background },
      { name: 'worker', run: async () => {
        if (!worker) return;
        const { abortedJobs } = await worker.drain(config.queue.shutdownGraceMs);
        logger.info({ abortedJobs }, 'worker drained');
      } },
      { name: 'start-checks', run: async () => startChecks },
      { name: 'http', run: async () => server?.close() },
      { name: 'queues', run: () => queues.close() },
      ...(options.beforeRedisClose ?? []).map((run, i) => ({ name: `before-redis-close-${i}`, run })),
      { name: 'redis', run: () => closeRedis(redis) },
    ], logger);
    return closing;
  };

  const startJobs = async (): Promise<void> => {
    if (options.schedules !== false) {
      await syncSchedules(queues.jobs, config, registry, services.tenants.ids, logger.child({ component: 'schedules' }));
    }
    if (options.worker !== false && !stopWaiting.signal.aborted) {
      // Before the first job: an upgraded deployment's tenants keep writing (src/runtime/first-run.ts).
      await adoptUpgradedTenants(services.tenants, services.now(), logger.child({ component: 'first-run' }));
      worker = startWorker({ connection: redis, registry, services, queues, observer: metrics });
      // In the background: a slow or absent Autotask must not hold the start; close() aborts and awaits it.
      startChecks = checkTenantsAtStart(services, stopWaiting.signal).then(() => undefined, () => undefined);
    }
  };

  try {
    if (options.waitForRedis) waitingFor = `connecting to Redis at ${describeRedis(config.redis)}`;
    else await startJobs();
    if (options.http !== false) {
      const http = options.http ?? {};
      server = await buildServer({ commands, config, logger, queues, metrics, extraRoutes: http.extraRoutes });
      const host = http.host ?? config.host;
      await server.listen({ port: http.port ?? config.port, host });
      const address = server.server.address();
      const port = typeof address === 'object' && address ? address.port : http.port ?? config.port;
      // An any-address listener is reached on loopback from here; an IPv6 address needs brackets in a URL.
      const reach = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
      url = `http://${reach}:${port}`;
      logger.info({ url, host, port, dashboard: `${url}/admin/queues` }, 'http server listening');
    }
  } catch (error) {
    await close();
    throw error;
  }
  const runtime: Runtime = { services, queues, commands, metrics, worker, server, url, close,
    startChecks: async () => { await background; await startChecks; } };
  if (options.waitForRedis) {
    background = (async () => {
      let lastLog = Number.NEGATIVE_INFINITY;
      for (;;) {
        try {
          await assertRedisAnswers(config.redis);
          break;
        } catch (error) {
          waitingFor = `waiting for Redis: ${errorMessage(error)}`;
          if (Date.now() - lastLog >= REDIS_WAIT_LOG_MS) {
            lastLog = Date.now();
            logger.warn(`REDIS_UNAVAILABLE: ${errorMessage(error)} Retrying every ${REDIS_RETRY_MS / 1000} s; /healthz answers, /readyz says why.`);
          }
          await sleep(REDIS_RETRY_MS, stopWaiting.signal);
        }
      }
      await startJobs();
      runtime.worker = worker;
      waitingFor = undefined;
      logger.info('redis answers: schedules in place, taking jobs');
    })().catch((error: unknown) => {
      if (stopWaiting.signal.aborted) return;
      waitingFor = `start failed: ${errorMessage(error)}`;
      logger.error({ err: error }, `worker could not start taking jobs: ${errorMessage(error)}`);
    });
  }
  return runtime;
}
