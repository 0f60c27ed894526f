/**
 * `autotask-sync dlq list [--json]` · `dlq requeue <id>` · `dlq requeue --all`: the dead-letter queue of jobs
 * that used up their attempts. A requeued job is validated again and runs as a new job.
 */
import { parseArgs } from 'node:util';
import { errorMessage } from '../lib/errors.js';
import { resolveCliDeps, withQueueCommand, type CliDeps } from '../app/bootstrap.js';

export const USAGE = 'usage: autotask-sync dlq list [--json] | dlq requeue <id> | dlq requeue --all\n';

export async function dlqCommand(argv: string[], partial: Partial<CliDeps> = {}): Promise<number> {
  const deps = resolveCliDeps(partial);
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {
      json: { type: 'boolean', default: false }, all: { type: 'boolean', default: false },
    } });
  } catch (error) {
    deps.stderr.write(`autotask-sync dlq: ${errorMessage(error)}\n${USAGE}`);
    return 2;
  }
  const [action, id, ...extra] = args.positionals;
  const valid = extra.length === 0 && (
    (action === 'list' && id === undefined && !args.values.all)
    || (action === 'requeue' && (id === undefined) === args.values.all));
  if (!valid) { deps.stderr.write(USAGE); return 2; }

  return withQueueCommand(deps, 'dlq', async (commands) => {
    if (action === 'list') {
      const letters = await commands.listDeadLetters();
      if (args.values.json) deps.stdout.write(`${JSON.stringify({ deadLetters: letters })}\n`);
      else if (letters.length === 0) deps.stdout.write('no dead letters\n');
      else for (const l of letters) deps.stdout.write(`${l.id}\t${l.name}\t${l.tenant}\t${l.failedAt}\tattempts ${l.attemptsMade}\t${l.failedReason}\n`);
      return 0;
    }
    if (args.values.all) {
      const results = await commands.requeueAllDeadLetters();
      for (const r of results) deps.stdout.write(r.result ? `${r.id} -> ${r.result.jobId}\n` : `${r.id} not requeued: ${r.error}\n`);
      return results.every((r) => r.result) ? 0 : 1;
    }
    const result = await commands.requeueDeadLetter(id!);
    deps.stdout.write(`${result.jobId}\n`);
    return 0;
  });
}
