/**
 * `autotask-sync trigger <job> [--data <json>] [--tenant <id>] [--json]`: validates the data, enqueues the job
 * on the shared queue and prints its id (the id of the equal job already waiting or running, if there is one).
 */
import { parseArgs } from 'node:util';
import { errorMessage } from '../lib/errors.js';
import { parseDataFlag, resolveCliDeps, withQueueCommand, type CliDeps } from '../app/bootstrap.js';

export const USAGE = 'usage: autotask-sync trigger <job> [--data <json>] [--tenant <id>] [--json]\n';

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
  return withQueueCommand(deps, `trigger ${name}`, async (commands) => {
    const result = await commands.enqueue({ name, tenant: args.values.tenant, data: parseDataFlag(args.values.data) });
    if (args.values.json) deps.stdout.write(`${JSON.stringify({ job: name, ...result })}\n`);
    else {
      deps.stdout.write(`${result.jobId}\n`);
      if (result.deduplicated) deps.stderr.write(`autotask-sync trigger: ${name} for ${result.tenant} with this data is already queued or running; its id is ${result.jobId}\n`);
    }
    return 0;
  });
}
