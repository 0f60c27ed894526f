import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../src/lib/errors.js';
import { buildServer } from '../../../src/http/server.js';
import type { Runtime } from '../../../src/app/process.js';
import { cleanPrefix, connectRedis } from '../../helpers/redis.js';
import { ADMIN_TOKEN, noHttpClientFactory, probeJob, registryOf, startTestRuntime, testConfig, waitFor } from '../runtime/support.js';

const GUARDED: Array<[string, string, unknown?]> = [
  ['GET', '/api/jobs/1'],
  ['POST', '/api/jobs/sync-tickets', { data: {} }],
  ['GET', '/api/dead-letters'],
  ['POST', '/api/dead-letters/dl-1/requeue'],
  ['POST', '/api/dead-letters/requeue-all'],
  ['GET', '/admin/queues'],
  ['GET', '/admin/queues/api/queues'],
];

const fake = noHttpClientFactory();
const failing = probeJob('detect-problems', () => { throw new AppError('AUTOTASK_VALIDATION', 'bad reference'); });
const registry = registryOf([probeJob('sync-tickets').definition, failing.definition]);
let runtime: Runtime;
let base: string;

async function call(method: string, path: string, options: { body?: unknown; token?: string | null; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? ADMIN_TOKEN}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) { body = JSON.stringify(options.body); }
  if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, json: json as Record<string, unknown>, text, headers: response.headers };
}

beforeAll(async () => {
  const config = testConfig();
  runtime = await startTestRuntime(config, registry, { clientFactory: fake.factory, http: { port: 0, host: '127.0.0.1' } });
  base = runtime.url!;
});

afterAll(async () => {
  await runtime.close();
  const redis = connectRedis();
  await cleanPrefix(redis, runtime.services.config.queue.prefix);
  await redis.quit();
});

describe('HTTP server', () => {
  it('answers /healthz without a token', async () => {
    expect((await call('GET', '/healthz', { token: null })).status).toBe(200);
  });

  it('answers 401 on every guarded route without the token or with a wrong one', async () => {
    for (const [method, path, body] of GUARDED) {
      const none = await call(method, path, { token: null, body });
      expect(none.status, `${method} ${path}`).toBe(401);
      expect(none.json.error).toBe('UNAUTHORIZED');
      const wrong = await call(method, path, { token: `${ADMIN_TOKEN}x`, body });
      expect(wrong.status, `${method} ${path} wrong token`).toBe(401);
      const dashboardQuery = await call(method, `${path}?token=wrong`, { token: null, body });
      expect(dashboardQuery.status, `${method} ${path}?token=wrong`).toBe(401);
    }
  });

  it('enqueues a job (202) and reports its state and result', async () => {
    const posted = await call('POST', '/api/jobs/sync-tickets', { body: { data: { n: 3 } } });
    expect(posted.status).toBe(202);
    expect(posted.json).toEqual({ jobId: expect.any(String), tenant: 'default', deduplicated: false });
    const done = await waitFor(async () => {
      const r = await call('GET', `/api/jobs/${String(posted.json.jobId)}`);
      return r.json.state === 'completed' ? r.json : undefined;
    }, 'completed state');
    expect(done).toMatchObject({ name: 'sync-tickets', tenant: 'default', attemptsMade: 1, result: { summary: 'sync-tickets ran' } });
    expect((await call('GET', '/api/jobs/does-not-exist')).status).toBe(404);
  });

  it('refuses bad bodies with 400 naming the field, unknown jobs with 404', async () => {
    const notObject = await call('POST', '/api/jobs/sync-tickets', { body: { data: 'x' } });
    expect(notObject).toMatchObject({ status: 400, json: { error: 'INPUT_INVALID', message: 'body.data: must be object' } });
    const extra = await call('POST', '/api/jobs/sync-tickets', { body: { data: {}, priority: 1 } });
    expect(extra).toMatchObject({ status: 400, json: { message: 'body.priority: not allowed' } });
    const badField = await call('POST', '/api/jobs/sync-tickets', { body: { data: { n: 'three' } } });
    expect(badField.status).toBe(400);
    expect(badField.json.message).toMatch(/data\.n: /);
    const badTenant = await call('POST', '/api/jobs/sync-tickets', { body: { data: {}, tenant: 'acme' } });
    expect(badTenant).toMatchObject({ status: 400, json: { message: expect.stringMatching(/^tenant: /) } });
    const badJson = await call('POST', '/api/jobs/sync-tickets', { raw: '{"data":' });
    expect(badJson).toMatchObject({ status: 400, json: { error: 'INPUT_INVALID' } });
    expect((await call('POST', '/api/jobs/no-such-job', { body: { data: {} } })).status).toBe(404);
    expect((await call('POST', '/api/jobs/push-time-entries', { body: { data: {} } })).json.error).toBe('JOB_UNKNOWN');
    const huge = await call('POST', '/api/jobs/sync-tickets', { body: { data: { label: 'x'.repeat(1_100_000) } } });
    expect(huge.status).toBe(413);
  });

  it('lists dead letters and requeues one through the API', async () => {
    const posted = await call('POST', '/api/jobs/detect-problems', { body: { data: { label: 'api' } } });
    const letters = await waitFor(async () => {
      const r = await call('GET', '/api/dead-letters');
      const list = r.json.deadLetters as Array<Record<string, unknown>>;
      return list.length ? list : undefined;
    }, 'dead letter');
    expect(letters[0]).toMatchObject({ name: 'detect-problems', originalJobId: posted.json.jobId, failedReason: 'AUTOTASK_VALIDATION: bad reference' });
    expect((await call('POST', `/api/dead-letters/${String(letters[0]!.id)}/requeue`, { body: { all: true } })).status).toBe(400);
    const requeued = await call('POST', `/api/dead-letters/${String(letters[0]!.id)}/requeue`);
    expect(requeued.status).toBe(202);
    expect(requeued.json.jobId).toEqual(expect.any(String));
    expect((await call('POST', '/api/dead-letters/nope/requeue')).status).toBe(404);
  });

  it('serves the named Prometheus series on /metrics', async () => {
    const r = await call('GET', '/metrics', { token: null });
    expect(r.status).toBe(200);
    for (const series of ['autotask_sync_jobs{queue="jobs",state="completed"}', 'autotask_sync_job_duration_seconds_bucket',
      'autotask_requests_total{tenant="default",entity="Tickets",method="POST",status="200"} 7',
      'autotask_throttled_total{tenant="default"} 1', 'autotask_retries_total{tenant="default"} 2',
      'autotask_budget_used{tenant="default"} 9', 'autotask_budget_left{tenant="default"} 4991',
      'autotask_slots_in_use{tenant="default",endpoint="Tickets"} 1']) {
      expect(r.text, series).toContain(series);
    }
    // The job of the enqueue test above was timed by this process's worker.
    expect(r.text).toMatch(/^autotask_sync_job_duration_seconds_count\{job="sync-tickets",status="completed"\} [1-9]/m);
  });

  it('is ready while Redis and the tenant answer, caches the tenant probe, and says why when not', async () => {
    const first = await call('GET', '/readyz', { token: null });
    expect(first).toMatchObject({ status: 200, json: { status: 'ready' } });
    const calls = fake.state.thresholdCalls;
    await call('GET', '/readyz', { token: null });
    expect(fake.state.thresholdCalls).toBe(calls);
  });

  it('opens the dashboard once with ?token= through an HttpOnly cookie, and with the bearer token', async () => {
    const entry = await call('GET', `/admin/queues?token=${ADMIN_TOKEN}`, { token: null });
    expect(entry.status).toBe(302);
    expect(entry.headers.get('location')).toBe('/admin/queues');
    const cookie = entry.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).not.toContain(ADMIN_TOKEN);
    const page = await call('GET', '/admin/queues', { token: null, headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    // Job times show date and time zone (issue 18).
    expect(page.text).toMatch(/"timeZoneName":"short"/);
    const api = await call('GET', '/admin/queues/api/queues');
    expect(api.status).toBe(200);
    const names = (api.json.queues as Array<{ name: string }>).map((q) => q.name).sort();
    expect(names).toEqual(['dead-letter', 'jobs']);
    // The cookie does not open the API.
    expect((await call('GET', '/api/dead-letters', { token: null, headers: { cookie: cookie.split(';')[0]! } })).status).toBe(401);
  });
});

describe('HTTP server without ADMIN_TOKEN', () => {
  it('answers 403 on every guarded route, whatever token is sent', async () => {
    const config = testConfig({ env: { ADMIN_TOKEN: '' } });
    const open = await startTestRuntime(config, registry, { http: { port: 0, host: '127.0.0.1' } });
    try {
      for (const [method, path, body] of GUARDED) {
        for (const token of [null, ADMIN_TOKEN]) {
          const headers: Record<string, string> = body ? { 'content-type': 'application/json' } : {};
          if (token) headers.authorization = `Bearer ${token}`;
          const r = await fetch(`${open.url!}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
          expect(r.status, `${method} ${path}`).toBe(403);
        }
      }
      expect((await fetch(`${open.url!}/healthz`)).status).toBe(200);
    } finally {
      await open.close();
      const redis = connectRedis();
      await cleanPrefix(redis, config.queue.prefix);
      await redis.quit();
    }
  });

  it('answers 503 on /readyz with the reason when a tenant does not answer', async () => {
    const config = testConfig();
    const down = noHttpClientFactory({ thresholdFails: true });
    const r2 = await startTestRuntime(config, registry, { clientFactory: down.factory, http: { port: 0, host: '127.0.0.1' } });
    try {
      const r = await fetch(`${r2.url!}/readyz`);
      expect(r.status).toBe(503);
      const body = await r.json() as { reason: string; checks: Record<string, { ok: boolean }> };
      expect(body.reason).toBe('tenant:default: credentials refused');
      expect(body.checks.redis!.ok).toBe(true);
    } finally {
      await r2.close();
      const redis = connectRedis();
      await cleanPrefix(redis, config.queue.prefix);
      await redis.quit();
    }
  });
});

describe('extra routes seam', () => {
  it('refuses a body route without a schema, and hands a rawBody route the exact bytes', async () => {
    const base2 = { commands: runtime.commands, config: runtime.services.config, logger: runtime.services.logger, queues: runtime.queues, metrics: runtime.metrics };
    await expect(buildServer({ ...base2, extraRoutes: [(app: FastifyInstance) => { app.post('/api/unchecked', async () => ({})); }] }))
      .rejects.toThrow(/declares no schema\.body/);
    const app = await buildServer({ ...base2, extraRoutes: [(scope: FastifyInstance) => {
      scope.post('/webhooks/test', { config: { rawBody: true } }, async (request) => ({
        isBuffer: Buffer.isBuffer(request.body), bytes: (request.body as Buffer).toString('utf8'),
      }));
    }] });
    try {
      const raw = '{"b":1,  "a":"\\u00e9"}';
      const r = await app.inject({ method: 'POST', url: '/webhooks/test', payload: raw, headers: { 'content-type': 'application/json' } });
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual({ isBuffer: true, bytes: raw });
    } finally {
      await app.close();
    }
  });
});
