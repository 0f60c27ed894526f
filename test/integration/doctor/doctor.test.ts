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

async function doctor(options: { sandbox?: SandboxOptions; env?: Record<string, string>; file?: Record<string, unknown>; json?: boolean;
  args?: string[] } = {}) {
  sandbox ??= await startSandbox({ scenario: 'demo', ...options.sandbox });
  const prefix = uniquePrefix('doc');
  prefixes.push(prefix);
  const out: string[] = [];
  const err: string[] = [];
  const code = await doctorCommand([...(options.json === false ? [] : ['--json']), ...(options.args ?? [])], {
    stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) },
    loadOptions: { env: { ...sandboxEnv(sandbox), ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}), AUTOTASK_WEBHOOK_SECRET: 'doctor-hook-secret', LOG_LEVEL: 'silent', ...options.env },
      file: { queue: { prefix }, autotask: { retryMinMs: 5, retryMaxMs: 20 }, ...options.file } },
  });
  const text = out.join('');
  return { code, text, stderr: err.join(''), report: options.json === false ? null : JSON.parse(text) as Report };
}

const statusOf = (report: Report | null, name: string) => report?.checks.find((c) => c.name === name)?.status;

describe('autotask-sync doctor', () => {
  it('passes a healthy tenant with one object of checks, and sends nothing but reads', async () => {
    const { code, report } = await doctor({ file: { timeEntries: { timeZone: 'Europe/Berlin' } } });
    expect(code).toBe(0);
    expect(report?.tenant).toBe('default');
    for (const c of report!.checks) expect(Object.keys(c).sort()).toEqual(['detail', 'fix', 'name', 'status']);
    expect(report!.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report!.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['zone and credentials', 'request threshold',
      'read Tickets', 'read BillingItems', 'field Tickets.problemTicketId', 'field BillingItems.webServiceDate',
      'picklist Tickets.status = 1', 'time entry impersonation', 'midnight spanning', 'webhook secret', 'field Tickets.externalID',
      'field Contracts.lastModifiedDateTime', 'field Contracts.endDate', 'field Invoices.invoiceDateTime', 'problem template',
      'rule monitoring-alert-host filter source', 'time zone']));
    expect(statusOf(report, 'time zone')).toBe('ok');
    expect(statusOf(report, 'problem template')).toBe('ok');
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
    sandbox = undefined;
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

  it('warns that time entry impersonation cannot be read from the API, naming both settings and the other mode', async () => {
    const { code, report } = await doctor();
    expect(code).toBe(0);
    const imp = report!.checks.find((c) => c.name === 'time entry impersonation');
    expect(imp).toMatchObject({ status: 'warn', fix: expect.stringMatching(/^check by hand: .*Allow impersonation of resources with this security level.*Resource Impersonation.*as-api-user/) });
    // The default UTC zone judges dateWorked and midnight in UTC: worth a look.
    expect(report!.checks.find((c) => c.name === 'time zone')).toMatchObject({ status: 'warn', fix: expect.stringMatching(/timeEntries\.timeZone/) });
  });

  it('fails a field a job filters on that is missing or not queryable, and one it writes that is read-only', async () => {
    const { code, report } = await doctor({ sandbox: { tenantSettings: { fieldOverrides: {
      'Tickets.externalID': { queryable: false }, 'BillingItems.webServiceDate': { readOnly: true }, 'Invoices.invoiceDateTime': { missing: true },
      'Contracts.lastModifiedDateTime': { missing: true } } } } });
    expect(code).toBe(1);
    const byName = (name: string) => report!.checks.find((c) => c.name === name);
    expect(byName('field Tickets.externalID')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/not queryable/) });
    expect(byName('field BillingItems.webServiceDate')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/read-only/),
      fix: expect.stringMatching(/edit rights on BillingItems/) });
    expect(byName('field Invoices.invoiceDateTime')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/not in the entity's field metadata/) });
    // sync-contracts copes without it (a full re-read): a warning.
    expect(byName('field Contracts.lastModifiedDateTime')).toMatchObject({ status: 'warn', fix: expect.stringMatching(/re-reads/) });
    expect(byName('field Tickets.problemTicketId')?.status).toBe('ok');
  });

  it('reads the UDF the config names from entityInformation/userDefinedFields', async () => {
    const file = { invoices: { poPolicy: { agreementKey: { kind: 'udf', name: 'Agreement ID' } } } };
    const present = await doctor({ file, sandbox: { tenantSettings: { userDefinedFields: { Contracts: [{ name: 'Agreement ID', dataType: 'string' }] } } } });
    expect(present.report!.checks.find((c) => c.name === 'udf Contracts.Agreement ID')).toMatchObject({ status: 'ok' });
    expect(sandbox!.requestLog.some((r) => r.path.endsWith('/Contracts/entityInformation/userDefinedFields'))).toBe(true);
    await sandbox?.close();
    sandbox = undefined;
    const missing = await doctor({ file, sandbox: { tenantSettings: { userDefinedFields: { Contracts: [{ name: 'Region', dataType: 'string' }] } } } });
    expect(missing.code).toBe(1);
    expect(missing.report!.checks.find((c) => c.name === 'udf Contracts.Agreement ID')).toMatchObject({ status: 'fail',
      detail: expect.stringMatching(/not a user-defined field of Contracts \(known: Region\)/) });
  });

  it('fails a Problem template that does not fit the tenant, naming the field, and warns on rule filter values it lacks', async () => {
    const { code, report } = await doctor({ file: { detection: {
      problem: { fields: { issueType: 12, subIssueType: 145 } },
      ruleSets: [{ name: 'alerts', keyFields: ['companyID'], filters: { source: [8, 4242] } }] } } });
    expect(code).toBe(1);
    expect(report!.checks.find((c) => c.name === 'problem template')).toMatchObject({ status: 'fail',
      detail: expect.stringMatching(/detection\.problem\.fields\.subIssueType: 145 belongs to issueType 7/) });
    expect(report!.checks.find((c) => c.name === 'rule alerts filter source')).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^4242 not an active Tickets\.source/) });
  });

  it('checks the tenant --tenant names, with its own credentials and webhook secret', async () => {
    sandbox = await startSandbox({ scenario: 'demo' });
    const c = sandbox.credentials;
    const { code, report } = await doctor({ args: ['--tenant', 'acme'],
      env: { ACME_USER: c.username, ACME_SECRET: c.secret, ACME_CODE: c.integrationCode },
      file: { tenants: [{ id: 'acme', usernameEnv: 'ACME_USER', secretEnv: 'ACME_SECRET', integrationCodeEnv: 'ACME_CODE', baseUrl: sandbox.url }] } });
    expect(report!.tenant).toBe('acme');
    expect(statusOf(report, 'zone and credentials')).toBe('ok');
    expect(report!.checks.find((c) => c.name === 'webhook secret')).toMatchObject({ status: 'warn', fix: expect.stringMatching(/webhookSecretEnv/) });
    expect(code).toBe(0);
  });

  it('prints one object with --json even when the config or Redis fails before any check', async () => {
    const bad = await doctor({ file: { detection: { problem: { fields: { title: 'x' } } } } });
    expect(bad.code).toBe(1);
    expect(bad.report).toMatchObject({ tenant: 'default', checks: [{ name: 'config', status: 'fail', detail: expect.stringMatching(/CONFIG_INVALID/) }] });
    const noRedis = await doctor({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(noRedis.code).toBe(1);
    expect(noRedis.report).toMatchObject({ checks: [{ name: 'redis', status: 'fail', detail: expect.stringMatching(/REDIS_UNAVAILABLE/) }] });
  });
});
