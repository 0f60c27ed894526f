import { afterEach } from 'vitest';
/**
 * Shared pieces of the runtime and HTTP integration tests: a config with a unique queue prefix, a client factory
 * that builds no HTTP client (these jobs never call Autotask; readiness and metrics read what it reports),
 * small real job definitions, and polling helpers (no timed assertions: we wait for states).
 */
import { z } from 'zod';
import { loadConfig } from '../../../config/load.js';
import type { AppConfig, TenantConfig } from '../../../config/schema.js';
import { defineJob, type JobDefinition } from '../../../jobs/define-job.js';
import { jobRegistry, syncAllPlan, type FlowPlan, type JobRegistry } from '../../../jobs/registry.js';
import { syncAllJob } from '../../../jobs/sync-all.js';
import type { AutotaskClient, ClientMetricsSnapshot } from '../../../src/autotask/types.js';
import { AppError } from '../../../src/lib/errors.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { startRuntime, type Runtime, type StartRuntimeOptions } from '../../../src/app/process.js';
import type { AutotaskClientFactory } from '../../../src/runtime/tenant-services.js';
import { confirmTenants } from '../../helpers/first-run.js';
import { cleanPrefix, connectRedis, uniquePrefix } from '../../helpers/redis.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const CREDS = { AUTOTASK_USERNAME: 'api@example.com', AUTOTASK_SECRET: 'test-secret-value', AUTOTASK_INTEGRATION_CODE: 'TESTCODE0001' };

export function testConfig(options: { prefix?: string; env?: Record<string, string>; file?: Record<string, unknown> } = {}): AppConfig {
  const prefix = options.prefix ?? uniquePrefix('rt');
  const file = options.file ?? {};
  return loadConfig({
    env: { ...CREDS, ADMIN_TOKEN, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', ...options.env },
    file: { ...file, queue: { prefix, attempts: 3, backoffMs: 100, concurrency: 2, shutdownGraceMs: 10_000, ...(file.queue as object ?? {}) } },
  });
}

export interface FakeClientState {
  thresholdFails: boolean;
  thresholdCalls: number;
  snapshot: ClientMetricsSnapshot;
}

/** A client without transport: any data call is an error; readiness and metrics answer from `state`. */
export function noHttpClientFactory(state: Partial<FakeClientState> = {}): { factory: AutotaskClientFactory; state: FakeClientState } {
  const full: FakeClientState = {
    thresholdFails: false,
    thresholdCalls: 0,
    snapshot: {
      requests: [{ entity: 'Tickets', method: 'POST', status: '200', count: 7 }],
      retries: 2, throttled: 1,
      budget: { used: 9, ceiling: 5000, threshold: 10000, left: 4991 },
      slotsInUse: { Tickets: 1 },
    },
    ...state,
  };
  const refuse = (): never => { throw new AppError('TEST_NO_HTTP', 'this test client does not talk to Autotask'); };
  const factory = (tenant: TenantConfig): AutotaskClient => ({
    tenantId: tenant.id,
    query: refuse, queryPages: refuse, queryPartitioned: refuse, queryIn: refuse, count: refuse, get: refuse,
    create: refuse, update: refuse, createChild: refuse, entityInformation: refuse, fields: refuse, userDefinedFields: refuse, picklist: refuse, webRoot: async () => refuse(), usageHistory: async () => null,
    async thresholdInformation() {
      full.thresholdCalls += 1;
      if (full.thresholdFails) throw new AppError('AUTOTASK_AUTH', 'credentials refused');
      return { externalRequestThreshold: 10000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 10 };
    },
    metrics: () => full.snapshot,
    budget: async () => full.snapshot.budget,
  });
  return { factory, state: full };
}

export function registryOf(definitions: JobDefinition[], flows: Array<[string, FlowPlan]> = []): JobRegistry {
  return { jobs: new Map(definitions.map((d) => [d.name, d])), flows: new Map(flows) };
}

/** A job that records its calls and does what `behave` says. */
export function probeJob(name: JobDefinition['name'], behave: (attempt: number, data: { n?: number }) => Promise<void> | void = () => undefined) {
  const calls: Array<{ jobId: string; data: unknown; tenant: string }> = [];
  const definition = defineJob({
    name,
    description: `test job ${name}`,
    schema: z.strictObject({ n: z.number().int().optional(), label: z.string().optional() }),
    // A stand-in takes the lease exactly when the real job of its name does.
    writesToTenant: jobRegistry.jobs.get(name)?.writesToTenant ?? false,
    async handler(ctx) {
      calls.push({ jobId: ctx.jobId, data: ctx.data, tenant: ctx.scope.tenant.id });
      await ctx.progress({ step: 'started' });
      await behave(calls.length, ctx.data);
      return { summary: `${name} ran`, counts: { calls: calls.length } };
    },
  });
  return { definition: definition as unknown as JobDefinition, calls };
}

export const syncAllEntry: [string, FlowPlan] = ['sync-all', syncAllPlan];
export const syncAllDefinition = syncAllJob as unknown as JobDefinition;

export async function waitFor<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startTestRuntime(config: AppConfig, registry: JobRegistry, extra: Partial<StartRuntimeOptions> & { firstRun?: 'new' } = {}): Promise<Runtime> {
  const { firstRun, ...options } = extra;
  if (firstRun !== 'new' && !extra.waitForRedis) await confirmTenants(config.queue.prefix, config.tenants.map((t) => t.id)).catch(() => undefined);
  return startRuntime({
    config, registry, logger: silentLogger(), clientFactory: noHttpClientFactory().factory,
    http: false, defaultMetrics: false, ...options,
  });
}

export function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

/** Runtimes and key prefixes a test registers here are closed and cleaned after each test. */
export function closeAfterEach(): { runtimes: Runtime[]; prefixes: string[] } {
  const runtimes: Runtime[] = [];
  const prefixes: string[] = [];
  afterEach(async () => {
    for (const runtime of runtimes.splice(0)) await runtime.close();
    const redis = connectRedis();
    for (const prefix of prefixes.splice(0)) await cleanPrefix(redis, prefix);
    await redis.quit();
  });
  return { runtimes, prefixes };
}

/** A writable stream for a CLI command's stdout/stderr that keeps what was written. */
export function capture(): { out: string[]; stream: { write(s: string): boolean }; text(): string } {
  const out: string[] = [];
  return { out, stream: { write: (s: string) => { out.push(s); return true; } }, text: () => out.join('') };
}
