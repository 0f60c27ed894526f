/**
 * An integration harness: a sandbox tenant over real HTTP, the product's client with the Redis governor, a
 * unique key prefix on the real Redis, and a way to run a job the way `autotask-sync run` does: through the
 * runtime's executeJob, with the tenant scope the runtime builds.
 */
import type { Redis } from 'ioredis';
import { loadConfig } from '../../config/load.js';
import type { AppConfig, TenantConfig } from '../../config/schema.js';
import type { JobDefinition, JobResult } from '../../jobs/define-job.js';
import { createAutotaskClient } from '../../src/autotask/index.js';
import { createRedisGovernor } from '../../src/autotask/governor.js';
import type { AutotaskClient } from '../../src/autotask/types.js';
import { silentLogger } from '../../src/lib/logger.js';
import { executeJob } from '../../src/runtime/execute-job.js';
import type { RuntimeServices } from '../../src/runtime/services.js';
import { createTenantServices, type TenantScope } from '../../src/runtime/tenant-services.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.js';
import { tenantKeys } from '../../src/store/keys.js';
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
  /** The tenant scope jobs run with (client and stores), as the runtime builds it. */
  scope: TenantScope;
  /** A fresh client (as a second process would have), sharing the governor state in Redis. */
  newClient(): AutotaskClient;
  run<R extends JobResult>(job: JobDefinition<never, R> | JobDefinition, data?: unknown, options?: { dryRun?: boolean; now?: Date; signal?: AbortSignal; onProgress?: (value: Record<string, unknown>) => void }): Promise<R>;
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
    const governor = createRedisGovernor({ redis, keys: tenantKeys(prefix, tenant.id), settings: config.autotask });
    governors.push(governor);
    return createAutotaskClient({ tenant, settings: config.autotask, governor, logger: silentLogger() });
  };
  const tenants = createTenantServices(config, redis, () => newClient());
  const scope = tenants.get(tenant.id);
  return {
    sandbox, redis, prefix, config, tenant, client: scope.client, scope, newClient,
    async run(job, data = {}, runOptions = {}) {
      const services: RuntimeServices = { config, logger: silentLogger(), redis, tenants, now: () => runOptions.now ?? new Date() };
      return executeJob(job as JobDefinition, { tenant: tenant.id, data }, services, {
        jobId: `test-${Math.random().toString(36).slice(2)}`,
        signal: runOptions.signal ?? new AbortController().signal,
        progress: async (value) => { runOptions.onProgress?.(value); },
        dryRun: runOptions.dryRun ?? false,
      }) as Promise<never>;
    },
    async close() {
      for (const governor of governors) await governor.close();
      await sandbox.close();
      await cleanPrefix(redis, prefix);
      await redis.quit();
    },
  };
}
