/**
 * `autotask-sync doctor [--tenant id] [--json]`: the read-only preflight of src/runtime/commands/doctor.ts. One
 * line per check (ok / warn / fail, what was seen, what to do), or with --json one object
 * `{"tenant","checks":[{"name","status","detail","fix"}]}`. Exit 0 when nothing failed, 1 otherwise. Never writes.
 */
import { parseArgs } from 'node:util';
import { cliEnvironment, resolveCliDeps, type CliDeps } from '../app/bootstrap.js';
import { AppError, errorMessage } from '../lib/errors.js';
import { runDoctor } from '../runtime/commands/doctor.js';
import { closeRedis, createRedis } from '../runtime/redis.js';
import { assertRedisAnswers } from '../runtime/redis-check.js';
import { createRuntimeServices } from '../runtime/services.js';

export const USAGE = 'usage: autotask-sync doctor [--tenant <id>] [--json]\n';

export async function doctorCommand(argv: string[], partial: Partial<CliDeps> = {}): Promise<number> {
  const deps = resolveCliDeps(partial);
  let args;
  try {
    args = parseArgs({ args: argv, strict: true, options: { json: { type: 'boolean', default: false }, tenant: { type: 'string' } } });
  } catch (error) {
    deps.stderr.write(`autotask-sync doctor: ${errorMessage(error)}\n${USAGE}`);
    return 2;
  }
  const json = args.values.json;
  // A failure before the checks can run is still one object with --json: a script reading stdout gets a failed check.
  const failed = (name: string, error: unknown, fix: string): number => {
    const text = `${error instanceof AppError ? `${error.code}: ` : ''}${errorMessage(error).replace(/\s*\n\s*/g, '; ')}`;
    deps.stderr.write(`autotask-sync doctor: ${text}\n`);
    if (json) deps.stdout.write(`${JSON.stringify({ tenant: args.values.tenant ?? 'default', checks: [{ name, status: 'fail', detail: text, fix }] })}\n`);
    return 1;
  };
  let env;
  try {
    env = cliEnvironment(deps, 'stderr');
  } catch (error) {
    return failed('config', error, 'fix the settings named in the detail (environment and SYNC_CONFIG)');
  }
  // The client's governor keeps its slots in Redis; the doctor itself writes nothing there or to Autotask.
  try {
    await assertRedisAnswers(env.config.redis);
  } catch (error) {
    await env.closeClients();
    return failed('redis', error, 'start Redis (or point REDIS_URL at one): the worker needs it, and the doctor reads through its governor');
  }
  const redis = createRedis(env.config.redis, 'autotask-sync-doctor', env.logger);
  try {
    const services = createRuntimeServices(env.config, env.logger, redis, env.clientFactory);
    const report = await runDoctor(services, args.values.tenant, AbortSignal.timeout(60_000));
    if (json) deps.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      const lines = report.checks.map((c) => `${c.status.padEnd(4)} ${c.name}: ${c.detail}${c.fix ? ` — fix: ${c.fix}` : ''}`);
      deps.stdout.write(`doctor (tenant ${report.tenant})\n${lines.join('\n')}\n`);
    }
    return report.checks.some((c) => c.status === 'fail') ? 1 : 0;
  } catch (error) {
    return failed('doctor', error, 'see the detail');
  } finally {
    await env.closeClients();
    await closeRedis(redis);
  }
}
