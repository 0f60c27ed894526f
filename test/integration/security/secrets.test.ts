/**
 * Secrets never appear in logs, job data or the dashboard's views (docs/contract.md#environment). A product-like process (the
 * real runtime, routes, client and governor against a sandbox tenant) logs at trace level into memory while it
 * runs the whole pipeline (sync-all, or its jobs one by one while build-invoices is not registered), a job that
 * fails on transient faults, a tenant whose secret is wrong, webhooks and dashboard logins. Then the logs, every
 * Redis value under the deployment's prefix, the job views and bull-board's API are searched for each secret.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { loadConfig } from '../../../config/load.js';
import { jobRegistry } from '../../../jobs/registry.js';
import { productRoutes } from '../../../src/http/routes/index.js';
import { signHookBody } from '../../../src/lib/hook-signature.js';
import { createLogger } from '../../../src/lib/logger.js';
import { createAutotaskServices } from '../../../src/app/client-factory.js';
import { startRuntime, type Runtime } from '../../../src/app/process.js';
import { DEMO_FACTS, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { eventually } from '../../helpers/product.js';
import { confirmTenants } from '../../helpers/first-run.js';
import { cleanPrefix, connectRedis, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';

const SECRETS = {
  secret: 'Tenant-Secret-7Qx!v2',
  integrationCode: 'SECRETSTESTINTEGRATION01',
  adminToken: 'Admin-Token-for-secrets-test-55',
  webhookSecret: 'Webhook-Secret-k8Zp',
  wrongSecret: 'Broken-Tenant-Secret-3Lm',
};

const lines: string[] = [];
const prefix = uniquePrefix('secrets');
const outputDir = mkdtempSync(join(tmpdir(), 'secrets-invoices-'));
let sandbox: SandboxHandle;
let runtime: Runtime;
let redis: Redis;
const jobIds: string[] = [];

async function api(method: string, path: string, body?: unknown, token = SECRETS.adminToken) {
  const response = await fetch(`${runtime.url}${path}`, { method, redirect: 'manual',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, text, json: (() => { try { return JSON.parse(text); } catch { return undefined; } })() };
}

async function runJob(name: string, data: Record<string, unknown>, tenant?: string): Promise<Record<string, unknown>> {
  const { status, json } = await api('POST', `/api/jobs/${name}`, { data, ...(tenant ? { tenant } : {}) });
  expect(status, JSON.stringify(json)).toBe(202);
  jobIds.push(json.jobId);
  return eventually(async () => {
    const view = (await api('GET', `/api/jobs/${json.jobId}`)).json;
    return view.state === 'completed' || view.state === 'failed' ? view : undefined;
  }, 45_000, `${name} to finish`);
}

/** Every value stored under the deployment's prefix, as text. */
async function redisDump(): Promise<string> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 1000);
    for (const key of keys) {
      const type = await redis.type(key);
      out.push(key);
      if (type === 'string') out.push(String(await redis.get(key)));
      else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'list') out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === 'set') out.push(JSON.stringify(await redis.smembers(key)));
      else if (type === 'zset') out.push(JSON.stringify(await redis.zrange(key, 0, -1)));
      else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
    cursor = next;
  } while (cursor !== '0');
  return out.join('\n');
}

function expectNoSecret(text: string, where: string): void {
  for (const [name, value] of Object.entries(SECRETS)) {
    expect(text.includes(value), `${where} contains the ${name}`).toBe(false);
    expect(text.includes(encodeURIComponent(value)), `${where} contains the ${name} URL-encoded`).toBe(false);
    expect(text.includes(Buffer.from(value).toString('base64')), `${where} contains the ${name} in base64`).toBe(false);
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, scenario: 'demo', credentials: { secret: SECRETS.secret, integrationCode: SECRETS.integrationCode } });
  redis = connectRedis();
  const config = loadConfig({
    env: {
      AUTOTASK_USERNAME: sandbox.credentials.username, AUTOTASK_SECRET: SECRETS.secret, AUTOTASK_INTEGRATION_CODE: SECRETS.integrationCode,
      AUTOTASK_ZONE_URL: sandbox.zoneUrl, REDIS_URL, ADMIN_TOKEN: SECRETS.adminToken, AUTOTASK_WEBHOOK_SECRET: SECRETS.webhookSecret,
      BROKEN_USER: sandbox.credentials.username, BROKEN_SECRET: SECRETS.wrongSecret, BROKEN_CODE: SECRETS.integrationCode,
      INVOICE_OUTPUT_DIR: outputDir, PORT: '0', LOG_LEVEL: 'trace',
    },
    file: {
      tenants: [{ id: 'broken', usernameEnv: 'BROKEN_USER', secretEnv: 'BROKEN_SECRET', integrationCodeEnv: 'BROKEN_CODE', baseUrl: sandbox.url }],
      queue: { prefix, attempts: 2, backoffMs: 100, shutdownGraceMs: 2_000 },
      autotask: { retries: 1, retryMinMs: 5, retryMaxMs: 20, requestTimeoutMs: 5_000 },
    },
    requireTenant: true,
  });
  const logger = createLogger({ level: 'trace', destination: { write: (line: string) => { lines.push(line); } } });
  const autotask = createAutotaskServices(config, logger);
  await confirmTenants(prefix, config.tenants.map((t) => t.id));
  runtime = await startRuntime({ config, logger, registry: jobRegistry, clientFactory: autotask.factory, worker: true, schedules: false,
    http: { port: 0, host: '127.0.0.1', extraRoutes: productRoutes }, beforeRedisClose: [autotask.close], defaultMetrics: false });
}, 30_000);

afterAll(async () => {
  await runtime?.close();
  await sandbox?.close();
  await cleanPrefix(redis, prefix);
  await redis.quit();
  rmSync(outputDir, { recursive: true, force: true });
});

describe('secrets never leave the process', () => {
  it('runs the whole pipeline, a stopwatch, webhooks and dashboard logins', async () => {
    if (jobRegistry.jobs.has('build-invoices')) {
      const all = await runJob('sync-all', {});
      expect(all.state, String(all.failedReason)).toBe('completed');
    } else {
      for (const name of ['sync-contracts', 'sync-billing-items', 'sync-tickets', 'detect-problems']) {
        const job = await runJob(name, {});
        expect(job.state, `${name}: ${String(job.failedReason)}`).toBe('completed');
      }
    }
    const { ticketId, resourceId } = DEMO_FACTS.assignedOpenTickets[0]!;
    const started = await api('POST', '/api/stopwatches', { ticketId, resourceId, summaryNotes: 'secrets test' });
    expect(started.status).toBe(201);
    expect((await api('POST', `/api/stopwatches/${started.json.id}/stop`, {})).status).toBe(200);
    const push = await runJob('push-time-entries', { entries: [{ key: 'secrets-test-1', ticketId, resourceId,
      startDateTime: '2026-03-02T09:00:00Z', endDateTime: '2026-03-02T09:30:00Z', summaryNotes: 'secrets test entry' }] });
    expect(push.state, String(push.failedReason)).toBe('completed');

    const hook = JSON.stringify({ Action: 'Update', Guid: 'secrets-hook', EntityType: 'Company', Id: 5, EventTime: new Date().toISOString() });
    for (const signature of [signHookBody(SECRETS.webhookSecret, hook), signHookBody('wrong', hook)]) {
      await fetch(`${runtime.url}/webhooks/autotask`, { method: 'POST', body: hook, headers: { 'content-type': 'application/json', 'x-hook-signature': signature } });
    }
    expect((await fetch(`${runtime.url}/admin/queues?token=${SECRETS.adminToken}`, { redirect: 'manual' })).status).toBe(302);
    expect((await api('GET', '/api/dead-letters', undefined, SECRETS.wrongSecret)).status).toBe(401);
  });

  it('runs a job that fails on transient faults and one whose tenant secret is wrong', async () => {
    sandbox.setFaults({ faultRate: 1, faultKinds: ['error500'] });
    const faulty = await runJob('sync-tickets', { full: true });
    sandbox.setFaults({ faultRate: 0 });
    expect(faulty.state).toBe('failed');
    const auth = await runJob('sync-contracts', {}, 'broken');
    expect(auth.state).toBe('failed');
    expect(String(auth.failedReason)).toMatch(/AUTH|401|auth/i);
  });

  it('the captured logs hold none of the secrets', () => {
    const text = lines.join('');
    // The capture is real: job lines, client request lines and the failures are all in it.
    expect(text).toContain('sync-tickets');
    expect(text).toContain(jobRegistry.jobs.has('build-invoices') ? 'build-invoices' : 'detect-problems');
    expect(text).toContain('push-time-entries');
    expect(text).toMatch(/"level":20/);
    expect(text).toMatch(/broken/);
    expect(lines.length).toBeGreaterThan(50);
    expectNoSecret(text, 'the logs');
  });

  it('job data, results and failure reasons in Redis hold none of the secrets', async () => {
    const dump = await redisDump();
    expect(dump).toContain('sync-tickets');
    expectNoSecret(dump, 'Redis');
  });

  it('the job views and the dashboard API hold none of the secrets', async () => {
    expect(jobIds.length).toBeGreaterThan(3);
    for (const id of jobIds) {
      const view = await api('GET', `/api/jobs/${id}`);
      expect(view.status).toBe(200);
      expectNoSecret(view.text, `GET /api/jobs/${id}`);
    }
    for (const status of ['latest', 'completed', 'failed', 'waiting']) {
      const board = await api('GET', `/admin/queues/api/queues?activeQueue=jobs&status=${status}&page=1`);
      expect(board.status).toBe(200);
      expectNoSecret(board.text, `bull-board ${status}`);
    }
    const deadLetters = await api('GET', '/api/dead-letters');
    expect(deadLetters.json.deadLetters.length).toBeGreaterThan(0);
    expectNoSecret(deadLetters.text, 'GET /api/dead-letters');
    const metrics = await fetch(`${runtime.url}/metrics`);
    expectNoSecret(await metrics.text(), '/metrics');
  });
});
