/**
 * `autotask-sync run <job> [--json] [--dry-run] [--data <json>] [--tenant <id>]`: one job to completion in this
 * process, through the same executeJob as the worker (a flow such as sync-all runs its stages in order).
 * stdout carries the answer only (with --json exactly one JSON object); logs go to stderr.
 * Exit 0 on success; 1 with a one-line reason on stderr on failure; 2 on a usage error.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { JobResult } from '../../jobs/define-job.js';
import { AppError, errorMessage } from '../lib/errors.js';
import { cliEnvironment, parseDataFlag, resolveCliDeps, type CliDeps } from '../app/bootstrap.js';
import type { StageOutcome } from '../../jobs/define-job.js';
import { runJobInProcess } from '../runtime/commands/index.js';
import { warningTexts } from '../runtime/job-warnings.js';
import { assertRedisAnswers } from '../runtime/redis-check.js';
import { closeRedis, createRedis } from '../runtime/redis.js';
import { createRuntimeServices } from '../runtime/services.js';

export const USAGE = 'usage: autotask-sync run <job> [--json] [--dry-run] [--data <json>] [--tenant <id>]\n';

function human(name: string, tenant: string, dryRun: boolean, result: JobResult): string {
  const lines = [`${name} (${tenant})${dryRun ? ' — dry run, nothing sent' : ''}: ${result.summary}`];
  for (const [key, value] of Object.entries(result.counts)) lines.push(`  ${key}: ${value}`);
  const warnings = warningTexts(result);
  const stages = Array.isArray(result.stages) ? (result.stages as StageOutcome[]) : [];
  for (const stage of stages) for (const text of stage.warnings ?? []) warnings.push(`${stage.job}: ${text}`);
  if (warnings.length) {
    lines.push(`warnings (${warnings.length}):`);
    for (const text of warnings) lines.push(`  - ${text}`);
  }
  if (result.writes?.length) {
    lines.push(dryRun ? 'writes it would make:' : 'writes:');
    for (const w of result.writes) lines.push(`  ${w.method} ${w.entity} ${JSON.stringify(w.body)}${w.reason ? `  # ${w.reason}` : ''}`);
  }
  // detect-problems: the groups left for a person to review (issue 15), next to the writes it makes itself.
  const suggestions = Array.isArray(result.suggestions) ? (result.suggestions as Array<Record<string, unknown>>) : [];
  if (suggestions.length > 0) {
    lines.push(dryRun ? 'suggestions it would leave for review:' : 'suggestions for review:');
    for (const s of suggestions) {
      lines.push(`  ${String(s.id)} confidence ${String(s.confidence)}: ${JSON.stringify(s.ticketIds)}  # ${String(s.reason)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function runCommand(argv: string[], partial: Partial<CliDeps> = {}): Promise<number> {
  const deps = resolveCliDeps(partial);
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {
      json: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false },
      data: { type: 'string' }, tenant: { type: 'string' },
    } });
  } catch (error) {
    deps.stderr.write(`autotask-sync run: ${errorMessage(error)}\n${USAGE}`);
    return 2;
  }
  const [name, ...extra] = args.positionals;
  if (!name || extra.length > 0) { deps.stderr.write(USAGE); return 2; }
  const { json } = args.values;
  const dryRun = args.values['dry-run'];

  const fail = (error: unknown, tenant?: string): number => {
    const code = error instanceof AppError ? error.code : 'FAILED';
    const message = errorMessage(error).replace(/\s*\n\s*/g, '; ');
    if (json) deps.stdout.write(`${JSON.stringify({ ok: false, job: name, tenant: tenant ?? null, dryRun, error: { code, message } })}\n`);
    deps.stderr.write(`autotask-sync run ${name}: ${code}: ${message}\n`);
    return 1;
  };

  let env;
  try {
    env = cliEnvironment(deps, 'stderr');
    await assertRedisAnswers(env.config.redis);
  } catch (error) {
    return fail(error);
  }
  const redis = createRedis(env.config.redis, 'autotask-sync-run', env.logger);
  const controller = new AbortController();
  // The first SIGINT/SIGTERM aborts the job (every read and write takes the signal) and the command answers at
  // once, even when the job is stuck on a dependency that does not answer (a Redis that went away mid-run).
  const interrupted = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true });
  });
  interrupted.catch(() => undefined);
  const onSignal = (signal: NodeJS.Signals): void => controller.abort(new AppError('INTERRUPTED', `interrupted by ${signal}`));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let tenant: string | undefined;
  try {
    const data = parseDataFlag(args.values.data);
    const services = createRuntimeServices(env.config, env.logger, redis, env.clientFactory);
    const jobId = `run-${randomUUID().slice(0, 8)}`;
    const { tenant: ran, result } = await Promise.race([interrupted, runJobInProcess({ services, registry: deps.registry }, {
      name, tenant: args.values.tenant, data, dryRun, signal: controller.signal, jobId,
      progress: async (value: Record<string, unknown>) => { env.logger.info({ job: name, progress: value }, 'progress'); },
    }, (resolved) => { tenant = resolved; })]);
    deps.stdout.write(json ? `${JSON.stringify({ ok: true, job: name, tenant: ran, dryRun, jobId, result })}\n` : human(name, ran, dryRun, result));
    return 0;
  } catch (error) {
    return fail(error, tenant);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (controller.signal.aborted) redis.disconnect(); // an interrupted run does not wait on Redis to say goodbye
    await env.closeClients();
    await closeRedis(redis);
  }
}
