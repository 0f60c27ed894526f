/**
 * Issue 17 item 4: every real run that needs more than the hour's Autotask budget says so in its progress before it
 * starts waiting — pulls, detect-problems, push-time-entries (build-invoices: test/integration/invoices) — and a run
 * that waits for budget says until when; the console's Jobs page shows both.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { detectProblemsJob } from '../../../jobs/detect-problems.js';
import { pushTimeEntriesJob } from '../../../jobs/push-time-entries.js';
import { syncContractsJob } from '../../../jobs/sync-contracts.js';
import { syncTicketsJob } from '../../../jobs/sync-tickets.js';
import { jobsPage } from '../../../src/http/console/pages.js';
import type { StoredTicket } from '../../../src/store/projections.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { eventually, runJob, startProduct, type Product } from '../../helpers/product.js';
import { timeEntries } from '../faults/support/scenario.js';

let h: Harness | undefined;
let p: Product | undefined;
afterEach(async () => { await h?.close(); await p?.close(); h = undefined; p = undefined; });

type Budget = { needed: number; left: number; spreadsUntil: string };
const budgetsOf = (progress: Array<Record<string, unknown>>): Budget[] =>
  progress.flatMap((v) => (v.budget ? [v.budget as Budget] : []));

// 40 an hour × budgetFraction 0.5: 20 requests for this deployment, no latency tiers.
const SMALL = { threshold: { limit: 40, tierDelayScale: 0 } };

describe('budget progress of real runs', () => {
  it('a full pull, detect-problems and push-time-entries that need more than the hour has left say so first', async () => {
    h = await startHarness({ sandbox: SMALL });
    await h.run(syncContractsJob);
    await h.run(syncTicketsJob);

    // detect-problems: its groups' re-reads, Problem look-ups and links are more than the hour has left.
    const detect: Array<Record<string, unknown>> = [];
    await h.run(detectProblemsJob, {}, { onProgress: (v) => detect.push(v) }).catch(() => undefined);
    const [plan] = budgetsOf(detect);
    expect(plan?.needed).toBeGreaterThan(plan!.left);
    expect(Date.parse(plan!.spreadsUntil)).toBeGreaterThan(Date.now());
    // Later progress values (groups done) keep the note, so what the dashboard shows still says it.
    expect(detect.slice(detect.indexOf(detect.find((v) => v.budget)!)).every((v) => v.budget)).toBe(true);

    // push-time-entries: a look-up and a create per entry.
    const push: Array<Record<string, unknown>> = [];
    const entries = timeEntries(new Date(), 12, 'budget');
    await h.run(pushTimeEntriesJob, { entries }, { onProgress: (v) => push.push(v) }).catch(() => undefined);
    expect(budgetsOf(push)[0]).toMatchObject({ needed: 2 * entries.length + 2 });

    // A full re-read of a big store: about one query per 500 stored tickets.
    const many = Array.from({ length: 20_000 }, (_, i) => ({ id: 10_000_000 + i, title: `t${i}`, lastActivityDate: new Date().toISOString() }) as unknown as StoredTicket);
    await h.scope.entities.upsert('Tickets', many);
    const pull: Array<Record<string, unknown>> = [];
    await h.run(syncTicketsJob, { full: true }, { onProgress: (v) => pull.push(v) }).catch(() => undefined);
    const stored = await h.scope.entities.count('Tickets');
    expect(budgetsOf(pull)[0]).toMatchObject({ needed: Math.ceil(stored / 500) + 1 });
  });

  it('a queued run that waits for budget says until when, and the console Jobs page shows it', async () => {
    p = await startProduct({ sandbox: SMALL });
    // The deployment has read the tenant's threshold (any run does), so the run can measure its plan against it.
    await runJob(p, 'sync-contracts');
    const entries = timeEntries(new Date(), 12, 'queued');
    const { body } = await p.api('POST', '/api/jobs/push-time-entries', { data: { entries } });
    const progress = await eventually(async () => {
      const job = (await p!.api('GET', `/api/jobs/${body.jobId}`)).body as { state: string; progress: { budget?: Record<string, unknown> } };
      return job.state === 'delayed' && job.progress?.budget?.waitingUntil ? job.progress : undefined;
    }, 30_000, 'the run to wait for budget');
    expect(progress.budget).toMatchObject({ needed: 2 * entries.length + 2, left: 0 });
    expect(Date.parse(String(progress.budget!.waitingUntil))).toBeGreaterThan(Date.now() - 60_000);

    const page = String(await jobsPage(p.runtime.commands, 'csrf'));
    const row = page.slice(page.indexOf(`data-job="${body.jobId}"`));
    expect(row.slice(0, row.indexOf('</tr>'))).toMatch(new RegExp(`push-time-entries.*delayed.*needs ${2 * entries.length + 2} Autotask requests, \\d+ left this hour; ` +
      'spreads until about .* UTC; waiting for budget until .* UTC', 's'));
  });
});
