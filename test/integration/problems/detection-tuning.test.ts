/**
 * Learned from the tenant's own links (issue 15, item 3), end to end over a sandbox tenant and real Redis: after
 * detect-problems (and people) linked incidents to Problems, tune-detection learns rules from those links over the
 * stored tickets, keeps the result per tenant (bounded), GET /api/detection/tuning shows it with the rules in use,
 * and detect-problems says which rules it ran (tuned only when their held-out precision beats the configured).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { chooseRuleSets, type TuningResult } from '../../../src/rules/detection-tuning.js';
import { DetectionTuningStore, MAX_KEPT } from '../../../src/store/detection-tuning.js';
import { cleanPrefix, connectRedis, uniquePrefix } from '../../helpers/redis.js';
import { eventually, startProduct, type Product } from '../../helpers/product.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { detectProblemsJob } from '../../../jobs/detect-problems.js';
import { syncTicketsJob } from '../../../jobs/sync-tickets.js';
import { scoreGrouping } from '../../../src/rules/detection-scoring.js';

let p: Product | undefined;
afterEach(async () => { await p?.close(); p = undefined; });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- job results are whatever JSON the job returned
async function runJob(name: string, data: Record<string, unknown> = {}): Promise<any> {
  const answer = await p!.api('POST', `/api/jobs/${name}`, { data });
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
  const status = await eventually(async () => {
    const { body } = await p!.api('GET', `/api/jobs/${answer.body.jobId}`);
    return body.state === 'completed' || body.state === 'failed' ? body : false;
  }, 60_000, `job ${name}`);
  expect(status.state, status.failedReason).toBe('completed');
  return status.result;
}

describe('tune-detection', () => {
  it('learns from the stored links, stores the result for the API, and detect-problems reports the rules it used', async () => {
    p = await startProduct();
    await runJob('sync-tickets');
    await runJob('detect-problems');
    await runJob('sync-tickets');
    const linked = p.sandbox.data.all('Tickets').filter((t) => typeof t.problemTicketId === 'number').length;
    expect(linked).toBeGreaterThan(0);

    const before = await p.api('GET', '/api/detection/tuning');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ results: [], inUse: { source: 'defaults', reason: 'no tuning result stored' } });

    const tuned = await runJob('tune-detection');
    expect(tuned.counts.labelled).toBeGreaterThanOrEqual(linked);
    expect(tuned.counts.learn + tuned.counts.holdout).toBeLessThanOrEqual(tuned.counts.tickets);
    const after = await p.api('GET', '/api/detection/tuning');
    expect(after.body.results).toHaveLength(1);
    const stored = after.body.results[0] as TuningResult & { at: string; tickets: number };
    expect(stored.at).toBe(tuned.tuning.at);
    expect(stored.tickets).toBe(tuned.counts.tickets);
    // The API's "in use" is the same choice detect-problems makes from the stored result.
    const choice = chooseRuleSets(p.config.detection.ruleSets, stored);
    expect(after.body.inUse).toMatchObject({ source: choice.source, reason: choice.reason });

    const detected = await runJob('detect-problems');
    expect(detected.rules).toEqual({ source: choice.source, ruleSets: choice.ruleSets.map((r) => r.name), reason: choice.reason });
  }, 120_000);
});

describe('detect-problems with a stored tuning result', () => {
  let h: Harness | undefined;
  afterEach(async () => { await h?.close(); h = undefined; });
  const precise = (precision: number) => ({ ...scoreGrouping([], new Map(), 0), precision });
  const stored = (tuned: number, configured: number) => ({ ruleSets: [{ name: 'tuned-title', keyFields: ['title' as const], windowHours: 1,
    minCount: 2, titleSimilarity: 0, minConfidence: 0 }], reason: 'test', sweepRule: null, candidates: 1,
  split: { learn: 1, holdout: 1, cutoff: null, undated: 0, labelled: 2 }, heldOut: { tuned: precise(tuned), defaults: precise(configured), sweep: precise(0) },
  at: '2026-03-01T00:00:00.000Z', tickets: 2 });

  it('runs the tuned rules only when their held-out precision beats the configured rules\', and says which it ran', async () => {
    h = await startHarness();
    await h.run(syncTicketsJob);
    await h.scope.detectionTuning.record(stored(0.4, 0.5));
    const kept = await h.run(detectProblemsJob, {}, { dryRun: true });
    expect(kept.rules).toMatchObject({ source: 'defaults', ruleSets: ['same-configuration-item', 'monitoring-alert-host'] });
    expect(kept.rules.reason).toContain('does not beat');

    await h.scope.detectionTuning.record(stored(0.9, 0.5));
    const tuned = await h.run(detectProblemsJob, {}, { dryRun: true });
    expect(tuned.rules).toMatchObject({ source: 'tuned', ruleSets: ['tuned-title'] });
    expect(tuned.summary).toContain('tuned rules');
    expect(tuned.counts.groups).toBeGreaterThan(0);
    for (const g of tuned.groups as { reason: string }[]) expect(g.reason).toContain('tuned-title');
  }, 60_000);
});

describe('DetectionTuningStore on the real Redis', () => {
  const redis = connectRedis();
  const prefix = uniquePrefix('tuning');
  afterAll(async () => { await cleanPrefix(redis, prefix); await redis.quit(); });

  it(`keeps the latest ${MAX_KEPT} results, newest first`, async () => {
    const store = new DetectionTuningStore(redis, prefix, 't1');
    expect(await store.latest()).toBeNull();
    for (let i = 0; i < MAX_KEPT + 3; i += 1) {
      await store.record({ ruleSets: [], reason: `run ${i}`, sweepRule: null, heldOut: null, candidates: 0,
        split: { learn: 0, holdout: 0, cutoff: null, undated: 0, labelled: 0 }, at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(), tickets: i });
    }
    const list = await store.list();
    expect(list.map((r) => r.tickets)).toEqual([7, 6, 5, 4, 3]);
    expect((await store.latest())!.reason).toBe(`run ${MAX_KEPT + 2}`);
  });
});
