/**
 * The whole product on one process for integration tests: a sandbox tenant, the real runtime (BullMQ worker on
 * the real Redis with a unique prefix, HTTP server on port 0 with the product's routes) and the real client.
 */
import { loadConfig } from '../../config/load.js';
import type { AppConfig } from '../../config/schema.js';
import { jobRegistry } from '../../jobs/registry.js';
import { productRoutes } from '../../src/http/routes/index.js';
import { silentLogger, type Logger } from '../../src/lib/logger.js';
import { createAutotaskServices } from '../../src/app/client-factory.js';
import { startRuntime, type Runtime } from '../../src/app/process.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.js';
import { confirmTenants } from './first-run.js';
import { sandboxEnv } from './harness.js';
import { cleanPrefix, connectRedis, REDIS_URL, uniquePrefix } from './redis.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface Product {
  sandbox: SandboxHandle;
  runtime: Runtime;
  config: AppConfig;
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON a route answers
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startProduct(options: { sandbox?: SandboxOptions; file?: Record<string, unknown>; env?: Record<string, string>; worker?: boolean; now?: () => Date;
  /** 'new' leaves the tenants in first-run mode (writes are dry runs); default: confirmed. */
  firstRun?: 'new' | 'confirmed';
  /** Default: silent. */
  logger?: Logger } = {}): Promise<Product> {
  const sandbox = await startSandbox({ port: 0, scenario: 'demo', ...options.sandbox });
  const prefix = uniquePrefix('p');
  const config = loadConfig({
    env: {
      ...sandboxEnv(sandbox),
      REDIS_URL,
      ADMIN_TOKEN,
      PORT: '0',
      ...options.env,
    },
    // A test's own `queue`/`autotask` settings are merged into these, never replace them: replacing `queue` dropped
    // the unique prefix, and such a test ran on the shared default prefix of the developer's Redis (issue 18, trap 6).
    file: {
      ...options.file,
      queue: { prefix, backoffMs: 200, shutdownGraceMs: 2_000, ...(options.file?.queue as object | undefined) },
      autotask: { retryMinMs: 5, retryMaxMs: 50, requestTimeoutMs: 5_000, ...(options.file?.autotask as object | undefined) },
    },
    requireTenant: true,
  });
  if (options.firstRun !== 'new') await confirmTenants(config.queue.prefix, config.tenants.map((t) => t.id));
  const logger = options.logger ?? silentLogger();
  const autotask = createAutotaskServices(config, logger);
  const runtime = await startRuntime({
    config, logger, registry: jobRegistry, clientFactory: autotask.factory, worker: options.worker ?? true, schedules: false,
    http: { port: 0, host: '127.0.0.1', extraRoutes: productRoutes }, beforeRedisClose: [autotask.close], defaultMetrics: false,
    ...(options.now ? { now: options.now } : {}),
  });
  const url = runtime.url!;
  return {
    sandbox, runtime, config, url,
    async api(method, path, body, headers = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try { parsed = JSON.parse(text); } catch { /* not JSON: keep the text */ }
      return { status: response.status, body: parsed };
    },
    async close() {
      await runtime.close();
      await sandbox.close();
      const redis = connectRedis();
      await cleanPrefix(redis, config.queue.prefix);
      await redis.quit();
    },
  };
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Enqueues a job through the API and waits until it completes (fails the test with the reason if it fails). */
export async function runJob(p: Product, name: string, data: Record<string, unknown> = {}): Promise<void> {
  const { body } = await p.api('POST', `/api/jobs/${name}`, { data });
  await eventually(async () => {
    const job = (await p.api('GET', `/api/jobs/${body.jobId}`)).body;
    if (job.state === 'failed') throw new Error(`${name} failed: ${job.failedReason}`);
    return job.state === 'completed';
  }, 20_000, `${name} to complete`);
}
