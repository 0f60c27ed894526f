/**
 * `autotask-sync confirm [--tenant <id>|--all] [--by <name>] [--show] [--json]`: leave first-run mode. Without
 * --show it prints what the dry runs would have written (the review) and confirms; with --show it only prints.
 * A tenant stays in first-run mode until this (or the console) confirms it; see docs/first-run.md.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { resolveCliDeps, withQueueCommand, type CliDeps } from '../app/bootstrap.js';
import { errorMessage } from '../lib/errors.js';
import { confirmTenant, firstRunStates, type FirstRunState } from '../runtime/first-run.js';
import { plural } from '../lib/plural.js';

export const USAGE = 'usage: autotask-sync confirm [--tenant <id> | --all] [--by <name>] [--show] [--json]\n';

function describe(state: FirstRunState): string {
  const head = state.confirmed
    ? `${state.tenant}: confirmed ${state.confirmedAt ?? ''} by ${state.confirmedBy ?? 'unknown'}; writes go out as configured`
    : `${state.tenant}: first-run mode, writes are dry runs until confirmed`;
  const lines = [head];
  if (state.previews.length === 0 && !state.confirmed) lines.push('  no dry run yet: start the worker (or `run <job> --dry-run`) to see what it would write');
  for (const p of state.previews) lines.push(`  ${p.job} at ${p.at}: ${plural(p.wouldWrite, 'write')} held back — ${p.summary.split('\n')[0] ?? ''}`);
  return `${lines.join('\n')}\n`;
}

export async function confirmCommand(argv: string[], partial: Partial<CliDeps> = {}): Promise<number> {
  const deps = resolveCliDeps(partial);
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: false, strict: true, options: {
      tenant: { type: 'string' }, all: { type: 'boolean', default: false }, by: { type: 'string' },
      show: { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
    } });
  } catch (error) {
    deps.stderr.write(`autotask-sync confirm: ${errorMessage(error)}\n${USAGE}`);
    return 2;
  }
  if (args.values.all && args.values.tenant) { deps.stderr.write(USAGE); return 2; }
  const { values } = args;
  return withQueueCommand(deps, 'confirm', async (_commands, services) => {
    const tenants = values.all ? services.tenants.ids : [services.tenants.resolve(values.tenant)];
    const before = await firstRunStates(services.tenants, tenants);
    if (values.show) {
      deps.stdout.write(values.json ? `${JSON.stringify({ tenants: before })}\n` : before.map(describe).join(''));
      return 0;
    }
    const by = values.by ?? userInfo().username;
    const after: FirstRunState[] = [];
    for (const state of before) after.push(await confirmTenant(services.tenants, state.tenant, by, services.now()));
    if (values.json) deps.stdout.write(`${JSON.stringify({ tenants: after })}\n`);
    else deps.stdout.write(`reviewed:\n${before.map(describe).join('')}${after.map(describe).join('')}`);
    return 0;
  });
}
