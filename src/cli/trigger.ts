/**
 * `autotask-sync trigger <job> [--data <json>] [--tenant <id>] [--json]`: validates the data, enqueues the job
 * on the shared queue and prints its id (the id of the equal job already waiting or running, if there is one).
 */
import { parseArgs } from 'node:util';
import { AppError, errorMessage } from '../lib/errors.js';
import { cliEnvironment, parseDataFlag, resolveCliDeps, type CliDeps } from '../runtime/bootstrap.js';
import { enqueueJob } from '../runtime/enqueue.js';
import { createQueues } from '../runtime/queues.js';
import { closeRedis, createRedis } from '../runtime/redis.js';
import { createTenantServices } from '../runtime/tenant-services.js';

const USAGE = 'usage: autotask-sync trigger <job> [--data <json>] [--tenant <id>] [--json]\n';

export async function triggerCommand(argv: string[], partial: Partial<CliDeps> = {}): Promise<number> {
  const deps = resolveCliDeps(partial);
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {
      data: { type: 'string' }, tenant: { type: 'string' }, json: { type: 'boolean', default: false },
    } });
  } catch (error) {
    deps.stderr.write(`autotask-sync trigger: ${errorMessage(error)}\n${USAGE}`);
    return 2;
  }
  const [name, ...extra] = args.positionals;
  if (!name || extra.length > 0) { deps.stderr.write(USAGE); return 2; }
  let redis;
  let queues;
  try {
    const env = cliEnvironment(deps, 'stderr');
    redis = createRedis(env.config.redisUrl, 'autotask-sync-trigger', env.logger);
    queues = createQueues(redis, env.config);
    const tenants = createTenantServices(env.config, redis, env.clientFactory);
    const result = await enqueueJob({ config: env.config, queues, registry: deps.registry, tenants },
      { name, tenant: args.values.tenant, data: parseDataFlag(args.values.data) });
    if (args.values.json) deps.stdout.write(`${JSON.stringify({ job: name, ...result })}\n`);
    else {
      deps.stdout.write(`${result.jobId}\n`);
      if (result.deduplicated) deps.stderr.write(`autotask-sync trigger: ${name} for ${result.tenant} with this data is already queued or running; its id is ${result.jobId}\n`);
    }
    return 0;
  } catch (error) {
    const code = error instanceof AppError ? `${error.code}: ` : '';
    deps.stderr.write(`autotask-sync trigger ${name}: ${code}${errorMessage(error).replace(/\s*\n\s*/g, '; ')}\n`);
    return 1;
  } finally {
    await queues?.close();
    if (redis) await closeRedis(redis);
  }
}
