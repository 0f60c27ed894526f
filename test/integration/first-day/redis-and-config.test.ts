/**
 * Issue 18, traps 1 and 2: a missing Redis is answered in one line by every command that uses it (the worker
 * stays up and says why on /readyz; `detect` reads an export file and never opens Redis); a command that only touches the queue needs no Autotask credentials; one tenant that
 * does not answer degrades /readyz instead of failing the instance.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { confirmCommand } from '../../../src/cli/confirm.js';
import { doctorCommand } from '../../../src/cli/doctor.js';
import { dlqCommand } from '../../../src/cli/dlq.js';
import { runCommand } from '../../../src/cli/run.js';
import { triggerCommand } from '../../../src/cli/trigger.js';
import { workerCommand } from '../../../src/cli/worker.js';
import type { AutotaskClientFactory } from '../../../src/runtime/tenant-services.js';
import { startRuntime } from '../../../src/app/process.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { cleanPrefix, connectRedis, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';
import { capture, ADMIN_TOKEN, CREDS, noHttpClientFactory, probeJob, registryOf, startTestRuntime, testConfig } from '../runtime/support.js';

const NO_REDIS = 'redis://127.0.0.1:1';
const prefixes: string[] = [];
afterEach(async () => {
  const redis = connectRedis();
  for (const prefix of prefixes.splice(0)) await cleanPrefix(redis, prefix);
  await redis.quit();
});


const registry = registryOf([probeJob('sync-tickets').definition]);

function deps(env: Record<string, string>) {
  const prefix = uniquePrefix('first-day');
  prefixes.push(prefix);
  const stdout = capture();
  const stderr = capture();
  return { stdout, stderr, deps: { registry, clientFactory: noHttpClientFactory().factory, stdout: stdout.stream, stderr: stderr.stream,
    loadOptions: { env: { LOG_LEVEL: 'silent', ...env }, file: { queue: { prefix } } } } };
}

describe('Redis not reachable (trap 1)', () => {
  it.each([
    ['trigger', (d: ReturnType<typeof deps>['deps']) => triggerCommand(['sync-tickets'], d)],
    ['dlq list', (d: ReturnType<typeof deps>['deps']) => dlqCommand(['list'], d)],
    ['run', (d: ReturnType<typeof deps>['deps']) => runCommand(['sync-tickets'], d)],
    ['dlq requeue <id>', (d: ReturnType<typeof deps>['deps']) => dlqCommand(['requeue', '42'], d)],
    ['dlq requeue --all', (d: ReturnType<typeof deps>['deps']) => dlqCommand(['requeue', '--all'], d)],
    ['confirm', (d: ReturnType<typeof deps>['deps']) => confirmCommand(['--by', 'alice'], d)],
    ['confirm --show', (d: ReturnType<typeof deps>['deps']) => confirmCommand(['--show'], d)],
    ['doctor', (d: ReturnType<typeof deps>['deps']) => doctorCommand([], d)],
  ])('%s answers with one REDIS_UNAVAILABLE line and exit 1', async (_name, command) => {
    const { deps: d, stderr, stdout } = deps({ ...CREDS, REDIS_URL: NO_REDIS });
    expect(await command(d)).toBe(1);
    expect(stdout.text()).toBe('');
    const lines = stderr.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/REDIS_UNAVAILABLE: Redis is not answering at redis:\/\/127\.0\.0\.1:1 .*start one with/);
  });

  it('the worker stays up: /healthz answers, /readyz says it waits for Redis', async () => {
    const config = testConfig({ env: { REDIS_URL: NO_REDIS } });
    const runtime = await startRuntime({ config, registry, logger: silentLogger(), clientFactory: noHttpClientFactory().factory,
      http: { port: 0, host: '127.0.0.1' }, defaultMetrics: false, waitForRedis: true });
    try {
      expect((await fetch(`${runtime.url!}/healthz`)).status).toBe(200);
      await expect.poll(async () => {
        const r = await fetch(`${runtime.url!}/readyz`);
        return { status: r.status, body: await r.json() as { reason?: string } };
      }).toMatchObject({ status: 503, body: { reason: expect.stringMatching(/startup: waiting for Redis: .*REDIS_UNAVAILABLE|startup: waiting for Redis: Redis is not answering/) } });
    } finally {
      await runtime.close();
    }
  });

  it('the worker command itself stays up without Redis: /healthz 200, /readyz 503 naming Redis, one log line', async () => {
    const { deps: d, stdout } = deps({ ...CREDS, REDIS_URL: NO_REDIS, PORT: '0', LOG_LEVEL: 'info', ADMIN_TOKEN });
    let stop: () => void = () => undefined;
    const stopSignal = new Promise<void>((resolve) => { stop = resolve; });
    const exit = workerCommand([], { ...d, extraRoutes: [], stopSignal });
    try {
      const logs = (): Array<{ msg: string; url?: string; level: number }> =>
        stdout.text().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; url?: string; level: number });
      const listening = (): string | undefined => logs().find((l) => l.msg === 'http server listening')?.url;
      await expect.poll(listening).toBeDefined();
      const url = listening()!;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ reason: expect.stringMatching(/Redis/) });
      await expect.poll(() => logs().filter((l) => l.msg.startsWith('REDIS_UNAVAILABLE:'))).toHaveLength(1);
      const warning = logs().find((l) => l.msg.startsWith('REDIS_UNAVAILABLE:'))!.msg;
      expect(warning).not.toContain('\n');
      expect(warning).toMatch(/Retrying every \d+ s; \/healthz answers, \/readyz says why\./);
    } finally {
      stop();
    }
    expect(await exit).toBe(0);
  });

  it('without waitForRedis the start fails at once with REDIS_UNAVAILABLE', async () => {
    const config = testConfig({ env: { REDIS_URL: NO_REDIS } });
    await expect(startTestRuntime(config, registry)).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE' });
  });
});

describe('commands that do not talk to Autotask (trap 2)', () => {
  it('trigger and dlq work without any AUTOTASK_* variable', async () => {
    const { deps: d, stdout, stderr } = deps({ REDIS_URL });
    expect(await triggerCommand(['sync-tickets'], d), stderr.text()).toBe(0);
    expect(stdout.text()).toMatch(/^\S+\n$/);
    const list = deps({ REDIS_URL });
    expect(await dlqCommand(['list'], list.deps), list.stderr.text()).toBe(0);
  });

  it('the worker warns at start when ADMIN_TOKEN is unset', async () => {
    const { deps: d, stdout } = deps({ ...CREDS, REDIS_URL, PORT: '0', LOG_LEVEL: 'warn' });
    expect(await workerCommand([], { ...d, extraRoutes: [], stopSignal: Promise.resolve() })).toBe(0);
    expect(stdout.text()).toMatch(/"msg":"ADMIN_TOKEN is not set: the console, the dashboard and \/api\/\* refuse every request/);
    const withToken = deps({ ...CREDS, REDIS_URL, PORT: '0', LOG_LEVEL: 'warn', ADMIN_TOKEN });
    expect(await workerCommand([], { ...withToken.deps, extraRoutes: [], stopSignal: Promise.resolve() })).toBe(0);
    expect(withToken.stdout.text()).not.toContain('ADMIN_TOKEN is not set');
  });

  it('run still names the missing credentials', async () => {
    const { deps: d, stderr } = deps({ REDIS_URL });
    expect(await runCommand(['sync-tickets'], d)).toBe(1);
    expect(stderr.text()).toContain('AUTOTASK_USERNAME, AUTOTASK_SECRET, AUTOTASK_INTEGRATION_CODE: required');
  });
});

describe('/readyz per tenant (trap 8)', () => {
  it('one tenant that does not answer is listed as degraded; the instance stays ready', async () => {
    const healthy = noHttpClientFactory();
    const broken = noHttpClientFactory({ thresholdFails: true });
    const factory: AutotaskClientFactory = (tenant, redis) => (tenant.id === 'acme' ? broken : healthy).factory(tenant, redis);
    const config = testConfig({
      env: { ACME_U: 'acme@example.com', ACME_S: 'acme-secret-1', ACME_C: 'ACMECODE1', ADMIN_TOKEN },
      file: { tenants: [{ id: 'acme', usernameEnv: 'ACME_U', secretEnv: 'ACME_S', integrationCodeEnv: 'ACME_C' }] },
    });
    prefixes.push(config.queue.prefix);
    const runtime = await startTestRuntime(config, registry, { clientFactory: factory, http: { port: 0, host: '127.0.0.1' }, worker: false });
    try {
      const r = await fetch(`${runtime.url!}/readyz`);
      expect(r.status).toBe(200);
      expect(await r.json()).toMatchObject({ status: 'degraded', degraded: ['acme'], reason: 'tenant:acme: credentials refused' });
    } finally {
      await runtime.close();
    }
  });
});
