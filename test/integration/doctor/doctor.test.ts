/**
 * `autotask-sync doctor` against the sandbox over real HTTP (issue 16): a healthy tenant passes, and each scenario
 * fails (or warns on) its own check, naming what to do. The doctor never writes: the sandbox sees only reads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { doctorCommand } from '../../../src/cli/doctor.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../src/sandbox/index.js';
import { sandboxEnv } from '../../helpers/harness.js';
import { cleanPrefix, connectRedis, uniquePrefix } from '../../helpers/redis.js';

interface Report { tenant: string; checks: Array<{ name: string; status: 'ok' | 'warn' | 'fail'; detail: string; fix: string }> }

let sandbox: SandboxHandle | undefined;
const prefixes: string[] = [];
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
  const redis = connectRedis();
  for (const prefix of prefixes.splice(0)) await cleanPrefix(redis, prefix);
  await redis.quit();
});

async function doctor(options: { sandbox?: SandboxOptions; env?: Record<string, string>; file?: Record<string, unknown>; json?: boolean } = {}) {
  sandbox = await startSandbox({ scenario: 'demo', ...options.sandbox });
  const prefix = uniquePrefix('doc');
  prefixes.push(prefix);
  const out: string[] = [];
  const err: string[] = [];
  const code = await doctorCommand(options.json === false ? [] : ['--json'], {
    stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) },
    loadOptions: { env: { ...sandboxEnv(sandbox), AUTOTASK_WEBHOOK_SECRET: 'doctor-hook-secret', LOG_LEVEL: 'silent', ...options.env },
      file: { queue: { prefix }, autotask: { retryMinMs: 5, retryMaxMs: 20 }, ...options.file } },
  });
  const text = out.join('');
  return { code, text, stderr: err.join(''), report: options.json === false ? null : JSON.parse(text) as Report };
}

const statusOf = (report: Report | null, name: string) => report?.checks.find((c) => c.name === name)?.status;

describe('autotask-sync doctor', () => {
  it('passes a healthy tenant with one object of checks, and sends nothing but reads', async () => {
    const { code, report } = await doctor();
    expect(code).toBe(0);
    expect(report?.tenant).toBe('default');
    for (const c of report!.checks) expect(Object.keys(c).sort()).toEqual(['detail', 'fix', 'name', 'status']);
    expect(report!.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report!.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['zone and credentials', 'request threshold',
      'read Tickets', 'read BillingItems', 'field Tickets.problemTicketId', 'field BillingItems.webServiceDate',
      'picklist Tickets.status = 1', 'proxy time entry', 'midnight spanning', 'webhook secret']));
    const writes = sandbox!.requestLog.filter((r) => r.method !== 'GET' && !/\/query(\/count)?(\?|$)/.test(r.path) && !r.path.includes('zoneInformation'));
    expect(writes).toEqual([]);
  });

  it('prints one line per check without --json', async () => {
    const { code, text } = await doctor({ json: false });
    expect(code).toBe(0);
    expect(text.split('\n')[0]).toBe('doctor (tenant default)');
    expect(text).toMatch(/^ok {3}zone and credentials: /m);
  });

  it('fails on wrong credentials, saying what to check', async () => {
    const { code, report } = await doctor({ env: { AUTOTASK_SECRET: 'not-the-secret' } });
    expect(code).toBe(1);
    const zone = report!.checks.find((c) => c.name === 'zone and credentials');
    expect(zone).toMatchObject({ status: 'fail', fix: expect.stringMatching(/secret/) });
  });

  it('fails a read the API user may not make, naming the entity', async () => {
    const { code, report } = await doctor({ sandbox: { tenantSettings: { deniedEntities: ['BillingItems'] } } });
    expect(code).toBe(1);
    expect(report!.checks.find((c) => c.name === 'read BillingItems')).toMatchObject({ status: 'fail',
      detail: expect.stringMatching(/adequate permissions/), fix: expect.stringMatching(/read access to BillingItems/) });
    expect(statusOf(report, 'read Tickets')).toBe('ok');
  });

  it('warns when others use half the hourly threshold and fails at 90%', async () => {
    expect(statusOf((await doctor({ sandbox: { threshold: { limit: 1000, used: 600 } } })).report, 'request threshold')).toBe('warn');
    await sandbox?.close();
    const busy = await doctor({ sandbox: { threshold: { limit: 1000, used: 950 } } });
    expect(statusOf(busy.report, 'request threshold')).toBe('fail');
    expect(busy.code).toBe(1);
  });

  it('fails a configured picklist value the tenant does not have, naming the setting', async () => {
    const { code, report } = await doctor({ file: { detection: { problem: { queueID: 424242 } } } });
    expect(code).toBe(1);
    expect(report!.checks.find((c) => c.name === 'picklist Tickets.queueID = 424242')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/detection\.problem\.queueID/) });
  });

  it('warns about settings the API cannot show, and a missing webhook secret, with how to check by hand', async () => {
    const { code, report } = await doctor({ env: { AUTOTASK_WEBHOOK_SECRET: '' }, file: { timeEntries: { proxy: 'as-api-user', midnight: 'allow' } } });
    expect(code).toBe(0);
    for (const name of ['proxy time entry', 'midnight spanning', 'webhook secret']) expect(statusOf(report, name)).toBe('warn');
    expect(report!.checks.find((c) => c.name === 'proxy time entry')?.fix).toMatch(/Proxy Time Entry/);
  });
});
