/**
 * The bad-input corpus over HTTP (issue 10): every route that takes input, fed malformed and hostile requests
 * against the whole product (sandbox tenant, real runtime, real routes). Each answer is a 4xx naming the field;
 * afterwards the tenant saw no request and no write, no job was queued, and the process still serves and works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_ENTITIES } from '../../../src/sandbox/index.js';
import { httpCases } from '../../fixtures/bad-input/http-cases.js';
import { jobDataCases } from '../../fixtures/bad-input/job-data-cases.js';
import { WEBHOOK_SECRET, signatureFor, webhookCases } from '../../fixtures/bad-input/webhook-cases.js';
import { signHookBody } from '../../../src/lib/hook-signature.js';
import { eventually, startProduct, type Product } from '../../helpers/product.js';

let p: Product;
let counts: Record<string, number>;

const recordCounts = (): Record<string, number> => Object.fromEntries(SANDBOX_ENTITIES.map((e) => [e, p.sandbox.data.count(e)]));

async function queuedJobs(): Promise<number> {
  const byState = await p.runtime.queues.jobs.getJobCounts();
  return Object.values(byState).reduce((sum, n) => sum + n, 0);
}

function postHook(body: string, signature: string | undefined, contentType = 'application/json', query = ''): Promise<Response> {
  return fetch(`${p.url}/webhooks/autotask${query}`, { method: 'POST', body,
    headers: { 'content-type': contentType, ...(signature === undefined ? {} : { 'x-hook-signature': signature }) } });
}

beforeAll(async () => {
  p = await startProduct({ env: { AUTOTASK_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  // The worker's own start checks read the tenant's metadata; the corpus is judged by what it alone sends.
  await p.runtime.startChecks();
  p.sandbox.resetStats();
  counts = recordCounts();
});
afterAll(async () => { await p?.close(); });

describe('malformed and hostile requests on every route', () => {
  it.each(httpCases)('$method $path — $name → $status', async (c) => {
    const headers: Record<string, string> = c.contentType ? { 'content-type': c.contentType } : {};
    const answer = await p.api(c.method, c.path, c.body, headers);
    expect(answer.status, JSON.stringify(answer.body)).toBe(c.status);
    expect(answer.body.message, JSON.stringify(answer.body)).toMatch(c.message);
    expect(typeof answer.body.error).toBe('string');
  });
});

describe('invalid job data through POST /api/jobs/{job}', () => {
  it.each(jobDataCases)('$job — $name', async (c) => {
    const answer = await p.api('POST', `/api/jobs/${c.job}`, `{"data":${c.json}}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(400);
    expect(answer.body).toMatchObject({ error: 'INPUT_INVALID' });
    expect(answer.body.message).toMatch(c.field);
  });
});

describe('hostile webhook deliveries', () => {
  it.each(webhookCases)('$name → $status', async (c) => {
    const response = await postHook(c.body, signatureFor(c.signature, c.body), c.contentType, c.query);
    const body = (await response.json()) as { error?: string; message?: string };
    expect(response.status, JSON.stringify(body)).toBe(c.status);
    expect(body.message).toMatch(c.message);
  });

  it('answers a replayed delivery as a duplicate and queues nothing for it', async () => {
    const body = JSON.stringify({ Action: 'Update', Guid: 'bad-input-replay', EntityType: 'Company', Id: 5, SequenceNumber: 9, EventTime: new Date().toISOString() });
    const signature = signHookBody(WEBHOOK_SECRET, body);
    const first = await postHook(body, signature);
    expect(first.status).toBe(202);
    for (let i = 0; i < 3; i += 1) {
      const replay = await postHook(body, signature);
      expect(replay.status).toBe(200);
      expect(await replay.json()).toEqual({ duplicate: true });
    }
  });
});

describe('after the corpus', () => {
  it('nothing reached the tenant and nothing was queued', async () => {
    const stats = p.sandbox.stats();
    expect(stats.writes).toEqual({});
    expect(stats.totalRequests).toBe(0);
    expect(recordCounts()).toEqual(counts);
    expect(await queuedJobs()).toBe(0);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('the process still answers /healthz and the worker completes a valid job', async () => {
    expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
    const { status, body } = await p.api('POST', '/api/jobs/sync-tickets', { data: { full: true } });
    expect(status).toBe(202);
    const job = await eventually(async () => {
      const view = (await p.api('GET', `/api/jobs/${body.jobId}`)).body;
      if (view.state === 'failed') throw new Error(`sync-tickets failed: ${view.failedReason}`);
      return view.state === 'completed' ? view : undefined;
    }, 20_000, 'sync-tickets to complete');
    expect(job.result.counts.read).toBeGreaterThan(0);
    expect(p.sandbox.stats().writes).toEqual({});
  });
});
