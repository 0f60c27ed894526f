/**
 * Issue 9: `autotask-sync demo --once` run as a user (and CI) runs it — a child process of the real executable —
 * and its summary checked against the demo scenario's facts.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEMO_FACTS } from '../../../src/sandbox/index.js';
import { REDIS_URL } from '../../helpers/redis.js';

const run = promisify(execFile);
const BIN = new URL('../../../bin/autotask-sync.js', import.meta.url).pathname;

function euros(cents: number): string {
  return (cents / 100).toFixed(2);
}

describe('autotask-sync demo --once', () => {
  it('runs the whole pipeline and prints invoices per PO with exact totals, the problems and the time entries', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'demo', '--once', '--port', '0'], {
      env: { ...process.env, REDIS_URL, LOG_LEVEL: 'warn', ADMIN_TOKEN: '' }, timeout: 90_000,
    });
    for (const stage of ['sync-contracts', 'sync-billing-items', 'sync-tickets', 'build-invoices', 'detect-problems', 'push-time-entries', 'sync-all']) {
      expect(stdout).toMatch(new RegExp(`✓ ${stage}\\s`));
    }
    expect(stdout).toContain(`Invoices by purchase order (${DEMO_FACTS.invoiceGroups.length} invoices, ${DEMO_FACTS.openBillingItemCount} billing items)`);
    for (const group of DEMO_FACTS.invoiceGroups) {
      const po = group.purchaseOrderNumber === null ? '\\(no PO\\)' : `PO ${group.purchaseOrderNumber}`;
      expect(stdout).toMatch(new RegExp(`${po}\\s+${group.itemCount} items\\s+${euros(group.totalCents)}\\s`));
    }
    // The narcoleptic server became a new Problem; the backup failures joined the existing one.
    expect(stdout).toMatch(/Problem: Server SRV-DC01 is offline .*\(new\)/);
    expect(stdout).toMatch(/Recurring backup failures on NAS01/);
    expect(stdout).toMatch(new RegExp(`${DEMO_FACTS.backupJob.ticketIds.length} incidents`));
    expect(stdout).toContain('Time entries pushed (3)');
    // --once stops the server: no links to it (issue 18), but where the invoice files went.
    expect(stdout).not.toMatch(/Dashboard: http/);
    // One folder per tenant under INVOICE_OUTPUT_DIR (the demo tenant is "default").
    expect(stdout).toMatch(/^Invoice files: \/\S+\/invoices\/default \(one JSON document per invoice\)$/m);
    expect(stdout).toContain('The demo server has stopped (--once)');
  });

  it('says in one line how to get Redis when none answers, and never hangs', async () => {
    const failed = await run(process.execPath, [BIN, 'demo', '--once', '--port', '0'], {
      env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:1' }, timeout: 30_000,
    }).then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failed?.code).toBe(1);
    const lines = failed!.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/REDIS_UNAVAILABLE: Redis is not answering at redis:\/\/127\.0\.0\.1:1 .*redis-server/);
  });
});
