/**
 * An integration harness: a sandbox tenant over real HTTP, the product's client with the Redis governor, a
 * unique key prefix on the real Redis, and a way to run a job's handler with a real JobContext.
 */
import type { Redis } from 'ioredis';
import { loadConfig } from '../../config/load.js';
import type { AppConfig, TenantConfig } from '../../config/schema.js';
import type { JobDefinition, JobResult } from '../../jobs/define-job.js';
import { createAutotaskClient } from '../../src/autotask/index.js';
import { createRedisGovernor } from '../../src/autotask/governor.js';
import type { AutotaskClient } from '../../src/autotask/types.js';
import { silentLogger } from '../../src/lib/logger.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.js';
import { cleanPrefix, connectRedis, uniquePrefix } from './redis.js';

/** The environment that points the product's config at a sandbox tenant. */
export function sandboxEnv(sandbox: SandboxHandle): Record<string, string> {
  return {
    AUTOTASK_USERNAME: sandbox.credentials.username,
    AUTOTASK_SECRET: sandbox.credentials.secret,
    AUTOTASK_INTEGRATION_CODE: sandbox.credentials.integrationCode,
    AUTOTASK_ZONE_URL: sandbox.zoneUrl,
  };
}

export interface Harness {
  sandbox: SandboxHandle;
  redis: Redis;
  prefix: string;
  config: AppConfig;
  tenant: TenantConfig;
  client: AutotaskClient;
  /** A fresh client (as a second process would have), sharing the governor state in Redis. */
  newClient(): AutotaskClient;
  run<R extends JobResult>(job: JobDefinition<never, R> | JobDefinition, data?: unknown, options?: { dryRun?: boolean; now?: Date; signal?: AbortSignal }): Promise<R>;
  close(): Promise<void>;
}

export async function startHarness(options: { sandbox?: SandboxOptions; file?: Record<string, unknown>; env?: Record<string, string> } = {}): Promise<Harness> {
  const sandbox = await startSandbox({ port: 0, scenario: 'demo', ...options.sandbox });
  const prefix = uniquePrefix('h');
  const redis = connectRedis();
  const config = loadConfig({
    env: { ...sandboxEnv(sandbox), ...options.env },
    file: {
      queue: { prefix },
      autotask: { retryMinMs: 5, retryMaxMs: 50, requestTimeoutMs: 5_000 },
      ...options.file,
    },
    requireTenant: true,
  });
  const tenant = config.tenants[0]!;
  const governors: Array<{ close(): Promise<void> }> = [];
  const newClient = (): AutotaskClient => {
    const governor = createRedisGovernor({ redis, keyPrefix: prefix, tenantId: tenant.id, settings: config.autotask });
    governors.push(governor);
    return createAutotaskClient({ tenant, settings: config.autotask, governor, logger: silentLogger() });
  };
  const client = newClient();
  return {
    sandbox, redis, prefix, config, tenant, client, newClient,
    async run(job, data = {}, runOptions = {}) {
      const definition = job as JobDefinition;
      const parsed = definition.schema.parse(data);
      const controller = new AbortController();
      return definition.handler({
        jobId: `test-${Math.random().toString(36).slice(2)}`,
        data: parsed, tenant, client, redis, keyPrefix: prefix, config, logger: silentLogger(),
        signal: runOptions.signal ?? controller.signal,
        progress: async () => undefined,
        dryRun: runOptions.dryRun ?? false,
        now: () => runOptions.now ?? new Date(),
      }) as never;
    },
    async close() {
      for (const governor of governors) await governor.close();
      await sandbox.close();
      await cleanPrefix(redis, prefix);
      await redis.quit();
    },
  };
}
