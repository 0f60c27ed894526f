/**
 * `autotask-sync invoices list` · `invoices approve|reject <invoiceKey> --version <v>`: the invoice documents and
 * the approval step of `invoices.requireApproval` from a shell (the console's Invoices page does the same;
 * docs/console.md#invoices-approval). The version is the one `list` shows: a draft that changed since is refused.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { resolveCliDeps, withQueueCommand, type CliDeps } from '../app/bootstrap.js';
import { errorMessage } from '../lib/errors.js';
import { plural } from '../lib/plural.js';

export const USAGE = 'usage: autotask-sync invoices list [--tenant <id>] [--status draft|delivered] [--json]\n'
  + '       autotask-sync invoices approve|reject <invoiceKey> --version <v> [--tenant <id>] [--by <name>] [--json]\n';

export async function invoicesCommand(argv: string[], partial: Partial<CliDeps> = {}): Promise<number> {
  const deps = resolveCliDeps(partial);
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {
      tenant: { type: 'string' }, status: { type: 'string' }, version: { type: 'string' }, by: { type: 'string' },
      json: { type: 'boolean', default: false },
    } });
  } catch (error) {
    deps.stderr.write(`autotask-sync invoices: ${errorMessage(error)}\n${USAGE}`);
    return 2;
  }
  const { values, positionals: [action, key, ...extra] } = args;
  const status = values.status;
  const valid = extra.length === 0 && (
    (action === 'list' && key === undefined && values.version === undefined && (status === undefined || status === 'draft' || status === 'delivered'))
    || ((action === 'approve' || action === 'reject') && key !== undefined && values.version !== undefined && status === undefined));
  if (!valid) { deps.stderr.write(USAGE); return 2; }

  return withQueueCommand(deps, 'invoices', async (commands) => {
    if (action === 'list') {
      const listing = await commands.listInvoices({ tenant: values.tenant, status: status as 'draft' | 'delivered' | undefined });
      if (values.json) { deps.stdout.write(`${JSON.stringify(listing)}\n`); return 0; }
      deps.stdout.write(`${listing.tenant}: ${plural(listing.count, 'invoice')}; approval ${listing.requireApproval ? 'required' : 'off'}\n`);
      for (const d of listing.invoices) {
        const approval = d.approval as { reason: string } | null;
        deps.stdout.write(`${String(d.status)}\t${String(d.invoiceKey)}\tversion ${String(d.version)}\t${String(d.companyName ?? d.companyID)}\t`
          + `PO ${String(d.purchaseOrderNumber ?? '(none)')}\t${plural(Array.isArray(d.items) ? d.items.length : 0, 'item')}\t${String(d.total)} ${String(d.currency ?? '')}`
          + `${approval ? `\t${approval.reason}` : ''}\n`);
      }
      return 0;
    }
    const answer = await commands.decideInvoice({ tenant: values.tenant, invoiceKey: key!, version: values.version!,
      action: action === 'approve' ? 'approved' : 'rejected', by: values.by ?? `${userInfo().username} (cli)` });
    if (values.json) deps.stdout.write(`${JSON.stringify(answer)}\n`);
    if (!answer.ok) {
      if (!values.json) deps.stderr.write(`autotask-sync invoices: ${answer.error}: ${answer.message}\n`);
      return 1;
    }
    if (!values.json) {
      deps.stdout.write(answer.action === 'rejected' ? `${answer.invoiceKey} version ${answer.version} rejected\n`
        : answer.alreadyDelivered ? `${answer.invoiceKey} was approved and delivered already\n`
          : `${answer.invoiceKey} version ${answer.version} approved; delivery and marking queued as job ${answer.jobId ?? 'none'}\n`);
    }
    return 0;
  });
}
