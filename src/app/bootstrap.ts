/**
 * What the queue commands (worker, run, trigger, dlq) share at the edge: config loaded once (loadConfig is the
 * only reader of the environment), one root logger, the registry and the client factory — each replaceable, so
 * the commands run in tests against a test registry and a client without HTTP.
 */
import { loadConfig, type LoadOptions } from '../../config/load.js';
import type { RedisConnection as Redis } from '../lib/redis-connection.js';
import type { AppConfig, TenantConfig } from '../../config/schema.js';
import type { AutotaskClient } from '../autotask/types.js';
import { jobRegistry, type JobRegistry } from '../../jobs/registry.js';
import { AppError, errorMessage, InputError } from '../lib/errors.js';
import { createLogger, type Logger } from '../lib/logger.js';
import { createAutotaskServices } from './client-factory.js';
import { createCommands, type RuntimeCommands } from '../runtime/commands/index.js';
import { createQueues } from '../runtime/queues.js';
import { assertRedisAnswers } from '../runtime/redis-check.js';
import { closeRedis, createRedis } from '../runtime/redis.js';
import { createRuntimeServices, type RuntimeServices } from '../runtime/services.js';
import type { AutotaskClientFactory } from '../runtime/tenant-services.js';

export interface Output {
  write(text: string): unknown;
}

export interface CliDeps {
  registry: JobRegistry;
  /** Default: the real governor + client per tenant (client-factory.ts). */
  clientFactory?: AutotaskClientFactory;
  /** Passed to loadConfig (tests give env and file). */
  loadOptions: LoadOptions;
  stdout: Output;
  stderr: Output;
}

export function resolveCliDeps(partial: Partial<CliDeps> = {}): CliDeps {
  return {
    registry: partial.registry ?? jobRegistry,
    ...(partial.clientFactory ? { clientFactory: partial.clientFactory } : {}),
    loadOptions: partial.loadOptions ?? {},
    stdout: partial.stdout ?? process.stdout,
    stderr: partial.stderr ?? process.stderr,
  };
}

export interface CliEnvironment {
  config: AppConfig;
  logger: Logger;
  clientFactory: AutotaskClientFactory;
  /** Closes what the default factory opened (governors); a no-op for an injected factory. */
  closeClients(): Promise<void>;
}

/** `logTo`: the worker logs to stdout like any service; run/trigger/dlq keep stdout for their answer. */
export function cliEnvironment(deps: CliDeps, logTo: 'stdout' | 'stderr', needs: 'autotask' | 'queue-only' = 'autotask'): CliEnvironment {
  const config = loadConfig(needs === 'autotask'
    ? { requireTenant: true, ...deps.loadOptions }
    : { ...deps.loadOptions, requireTenant: false, credentials: 'ignore' });
  const logger = createLogger({ level: config.logLevel, destination: { write: (line: string) => (logTo === 'stdout' ? deps.stdout : deps.stderr).write(line) } });
  if (deps.clientFactory) return { config, logger, clientFactory: deps.clientFactory, closeClients: async () => undefined };
  const real = createAutotaskServices(config, logger);
  return { config, logger, clientFactory: real.factory, closeClients: real.close };
}

/** `--data <json>`: an object, or a one-line reason. */
export function parseDataFlag(value: string | undefined): Record<string, unknown> {
  if (value === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new InputError(`--data: not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError('--data: expected a JSON object');
  return parsed as Record<string, unknown>;
}

/** A failure as one line for stderr, the stable code first (scripts grep for it). */
export function oneLineError(error: unknown): string {
  const code = error instanceof AppError ? `${error.code}: ` : '';
  return `${code}${errorMessage(error).replace(/\s*\n\s*/g, '; ')}`;
}

/** A client for the commands that never talk to Autotask: any use is a bug, reported as such. */
const noAutotask: AutotaskClientFactory = (tenant) => new Proxy({} as AutotaskClient, {
  get: (_target, property) => {
    if (property === 'tenantId') return tenant.id;
    throw new AppError('AUTOTASK_NOT_USED', `this command does not talk to Autotask (tried ${String(property)} for tenant ${tenant.id})`);
  },
});

/**
 * The services of a command that only touches the queue and the tenants' own state (trigger, dlq, confirm): the
 * tenants the config declares, whether or not their credentials are set, and no Autotask client.
 */
function queueOnlyServices(config: AppConfig, logger: Logger, redis: Redis): RuntimeServices {
  const tenants: TenantConfig[] = config.declaredTenantIds.map((id) => ({ id, username: '', secret: '', integrationCode: '', zoneUrl: '' }));
  return createRuntimeServices({ ...config, tenants }, logger, redis, noAutotask);
}

/**
 * The body of a queue command (trigger, dlq): config, Redis, the queues and the tenants opened for it, a failure
 * reported as one line on stderr (exit 1), and everything closed afterwards.
 */
export async function withQueueCommand(deps: CliDeps, label: string,
  body: (commands: RuntimeCommands, services: RuntimeServices) => Promise<number>): Promise<number> {
  let env: CliEnvironment | undefined;
  let redis: ReturnType<typeof createRedis> | undefined;
  let queues: ReturnType<typeof createQueues> | undefined;
  try {
    // trigger and dlq only touch the queue: no Autotask credentials needed, tenants known by their declared ids.
    env = cliEnvironment(deps, 'stderr', 'queue-only');
    await assertRedisAnswers(env.config.redis);
    redis = createRedis(env.config.redis, `autotask-sync-${label.split(' ')[0]}`, env.logger);
    queues = createQueues(redis, env.config);
    const services = queueOnlyServices(env.config, env.logger, redis);
    return await body(createCommands({ services, queues, registry: deps.registry }), services);
  } catch (error) {
    deps.stderr.write(`autotask-sync ${label}: ${oneLineError(error)}\n`);
    return 1;
  } finally {
    await queues?.close();
    await env?.closeClients();
    if (redis) await closeRedis(redis);
  }
}
