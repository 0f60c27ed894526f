import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.js';
import { ConfigError } from '../../../src/lib/errors.js';
import { redactText } from '../../../src/lib/redact.js';

const creds = { AUTOTASK_USERNAME: 'api@example.com', AUTOTASK_SECRET: 'sup3r-secret-value', AUTOTASK_INTEGRATION_CODE: 'INTCODE123456' };

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies every default from an empty file and resolves the default tenant', () => {
    const config = loadConfig({ env: creds, file: {} });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.port).toBe(3000);
    expect(config.queue.attempts).toBe(5);
    expect(config.queue.keepCompleted.count).toBe(1000);
    expect(config.autotask.budgetFraction).toBe(0.5);
    expect(config.autotask.threadsPerEndpoint).toBe(3);
    expect(config.tenants).toEqual([expect.objectContaining({ id: 'default', username: 'api@example.com',
      zoneUrl: 'https://webservices.autotask.net/ATServicesRest/' })]);
  });

  it('names every bad field at once', () => {
    const issues = problemsOf(() => loadConfig({
      env: { ...creds, PORT: 'eighty', REDIS_URL: 'localhost:6379', ADMIN_TOKEN: 'short' },
      file: { queue: { attempts: 0 }, schedules: [{ job: 'sync-everything', cron: '*/5 * * * *' }], bogus: 1 },
    }));
    const text = issues.join('\n');
    expect(text).toMatch(/^PORT:/m);
    expect(text).toMatch(/^REDIS_URL:/m);
    expect(text).toMatch(/^ADMIN_TOKEN:/m);
    expect(text).toMatch(/SYNC_CONFIG queue\.attempts/);
    expect(text).toMatch(/SYNC_CONFIG schedules\.0\.job/);
    expect(text).toMatch(/bogus/);
  });

  it('requires credentials when asked, and names the missing variables', () => {
    const issues = problemsOf(() => loadConfig({ env: { AUTOTASK_USERNAME: 'x@y.z' }, file: {}, requireTenant: true }));
    expect(issues.join('\n')).toContain('AUTOTASK_SECRET, AUTOTASK_INTEGRATION_CODE: required');
  });

  it('resolves extra tenants from the environment variables the file names', () => {
    const config = loadConfig({
      env: { ...creds, ACME_USER: 'acme@x.com', ACME_SECRET: 'acme-secret-1', ACME_CODE: 'ACMECODE' },
      file: { tenants: [{ id: 'acme', usernameEnv: 'ACME_USER', secretEnv: 'ACME_SECRET', integrationCodeEnv: 'ACME_CODE' }] },
    });
    expect(config.tenants.map((t) => t.id)).toEqual(['default', 'acme']);
    const issues = problemsOf(() => loadConfig({ env: creds, file: { tenants: [{ id: 'acme', usernameEnv: 'NOPE_U', secretEnv: 'NOPE_S', integrationCodeEnv: 'NOPE_C' }] } }));
    expect(issues[0]).toContain('NOPE_U, NOPE_S, NOPE_C is not set');
  });

  it('refuses a schedule with both cron and interval, or an unknown zone', () => {
    const issues = problemsOf(() => loadConfig({ env: creds, file: { schedules: [
      { job: 'sync-all', cron: '*/5 * * * *', everyMinutes: 5 },
      { job: 'sync-all', cron: '*/5 * * * *', tz: 'Mars/Olympus' },
    ] } }));
    expect(issues.join('\n')).toMatch(/exactly one of cron or everyMinutes/);
    expect(issues.join('\n')).toMatch(/schedules\.1\.tz: unknown time zone/);
  });

  it('registers secrets for redaction once loaded', () => {
    loadConfig({ env: creds, file: {} });
    expect(redactText('header Secret=sup3r-secret-value and INTCODE123456')).toBe('header Secret=[redacted] and [redacted]');
  });

  it('reads the committed default config file', () => {
    const config = loadConfig({ env: { ...creds, SYNC_CONFIG: 'config/sync.json' } });
    expect(config.configPath).toBe('config/sync.json');
  });
});

describe('HOST: where the HTTP server listens', () => {
  it('defaults to 127.0.0.1, so a bare worker is not reachable from other machines', () => {
    expect(loadConfig({ env: creds, file: {} }).host).toBe('127.0.0.1');
    expect(loadConfig({ env: { ...creds, HOST: '' }, file: {} }).host).toBe('127.0.0.1');
  });

  it('takes an address to listen on (a container sets 0.0.0.0 inside its own network)', () => {
    expect(loadConfig({ env: { ...creds, HOST: '0.0.0.0' }, file: {} }).host).toBe('0.0.0.0');
    expect(loadConfig({ env: { ...creds, HOST: '::1' }, file: {} }).host).toBe('::1');
  });
});

describe('loadConfig reports only what is wrong (issue 18, trap 2)', () => {
  it.each([
    ['ADMIN_TOKEN', 'short'],
    ['LOG_LEVEL', 'verbose'],
    ['PORT', 'abc'],
    ['HOST', 'everywhere'],
    ['REDIS_URL', 'localhost:6379'],
    ['AUTOTASK_BASE_URL', 'not a url'],
  ])('a bad %s with all credentials set names only that variable', (name, value) => {
    const issues = problemsOf(() => loadConfig({ env: { ...creds, [name]: value }, file: {}, requireTenant: true }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(new RegExp(`^${name}:`));
    expect(issues.join('\n')).not.toMatch(/AUTOTASK_USERNAME|required/);
  });

  it('keeps ledgers 90 days by default and refuses a retention under the floor or shorter than a job can be retried', () => {
    expect(loadConfig({ env: creds, file: {} }).store.retentionDays).toBe(90);
    expect(problemsOf(() => loadConfig({ env: creds, file: { store: { retentionDays: 1 } } })).join('\n')).toMatch(/store\.retentionDays.*>=7/);
    expect(problemsOf(() => loadConfig({ env: creds, file: { store: { retentionDays: 10 }, queue: { keepFailed: { ageSeconds: 30 * 86_400 } } } }))
      .join('\n')).toMatch(/store\.retentionDays: must exceed queue\.keepFailed\.ageSeconds \(30 days/);
    expect(problemsOf(() => loadConfig({ env: creds, file: { store: { retentionDays: 7 }, queue: { attempts: 30, backoffMs: 60_000 } } }))
      .join('\n')).toMatch(/store\.retentionDays: must exceed the queue's retry horizon/);
  });

  it('refuses an ADMIN_TOKEN of only whitespace', () => {
    const issues = problemsOf(() => loadConfig({ env: { ...creds, ADMIN_TOKEN: ' '.repeat(20) }, file: {} }));
    expect(issues.join('\n')).toMatch(/^ADMIN_TOKEN:/m);
  });

  it('lists the tenants the config declares even when no credentials are set (dlq and trigger need no Autotask)', () => {
    const config = loadConfig({ env: {}, file: { tenants: [{ id: 'acme', usernameEnv: 'A_U', secretEnv: 'A_S', integrationCodeEnv: 'A_C' }] }, credentials: 'ignore' });
    expect(config.tenants).toEqual([]);
    expect(config.declaredTenantIds).toEqual(['default', 'acme']);
  });
});

describe('PO templates are checked at load (issue 18, trap 5)', () => {
  const rule = (template: string) => ({ invoices: { poPolicy: { rules: [{ name: 'r', template }] } } });
  it('names an unknown placeholder and the known ones', () => {
    const issues = problemsOf(() => loadConfig({ env: creds, file: rule('PO-{contractNam}') }));
    expect(issues.join('\n')).toMatch(/^SYNC_CONFIG invoices\.poPolicy\.rules\.0\.template: unknown placeholder \{contractNam\} \(known: \{contractName\}/m);
  });
  it('refuses an unbalanced brace and {agreement} without an agreementKey', () => {
    expect(problemsOf(() => loadConfig({ env: creds, file: rule('PO-{contractName') })).join('\n')).toMatch(/without its partner/);
    expect(problemsOf(() => loadConfig({ env: creds, file: rule('{agreement}') })).join('\n')).toMatch(/\{agreement\} needs invoices\.poPolicy\.agreementKey/);
  });
  it('accepts every known placeholder', () => {
    expect(() => loadConfig({ env: creds, file: rule('{contractName}/{contractNumber}/{contractID}/{companyID}/{startMonth}/{startYear}') })).not.toThrow();
  });
});
