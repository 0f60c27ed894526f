/**
 * The job-data corpus through `autotask-sync run <job> --data <json>` (the same table as POST /api/jobs): exit 1,
 * exactly one line on stderr naming the field, nothing on stdout, and not one request to the sandbox tenant.
 * A valid run afterwards still completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/cli/run.js';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { jobDataCases } from '../../fixtures/bad-input/job-data-cases.js';
import { cleanPrefix, connectRedis, REDIS_URL, uniquePrefix } from '../../helpers/redis.js';

let sandbox: SandboxHandle;
const prefix = uniquePrefix('bad-cli');

function capture() {
  const out: string[] = [];
  return { write: (s: string) => { out.push(s); return true; }, text: () => out.join('') };
}

async function run(argv: string[]) {
  const stdout = capture();
  const stderr = capture();
  const code = await runCommand(argv, { stdout, stderr, loadOptions: {
    env: { AUTOTASK_USERNAME: sandbox.credentials.username, AUTOTASK_SECRET: sandbox.credentials.secret,
      AUTOTASK_INTEGRATION_CODE: sandbox.credentials.integrationCode, AUTOTASK_ZONE_URL: sandbox.zoneUrl, LOG_LEVEL: 'warn', REDIS_URL },
    file: { queue: { prefix }, autotask: { retryMinMs: 5, retryMaxMs: 50, requestTimeoutMs: 5_000 } },
  } });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

beforeAll(async () => { sandbox = await startSandbox({ port: 0, scenario: 'demo' }); });
afterAll(async () => {
  await sandbox?.close();
  const redis = connectRedis();
  await cleanPrefix(redis, prefix);
  await redis.quit();
});

const cliCases: Array<{ name: string; argv: string[]; stderr: RegExp }> = [
  { name: '--data not JSON', argv: ['sync-tickets', '--data', '{full: true}'], stderr: /INPUT_INVALID: --data: not valid JSON/ },
  { name: '--data an array', argv: ['sync-tickets', '--data', '[{"full":true}]'], stderr: /INPUT_INVALID: --data: expected a JSON object/ },
  { name: '--data null', argv: ['detect-problems', '--data', 'null'], stderr: /INPUT_INVALID: --data: expected a JSON object/ },
  { name: '--data a number', argv: ['detect-problems', '--data', '1e309'], stderr: /INPUT_INVALID: --data: expected a JSON object/ },
  { name: '--data with "__proto__"', argv: ['sync-tickets', '--data', '{"__proto__":{"full":true}}'], stderr: /data: Unrecognized key: "__proto__"/ },
  { name: 'an unknown job', argv: ['sync-everything'], stderr: /JOB_UNKNOWN: no job "sync-everything"/ },
  { name: 'an unknown tenant', argv: ['sync-tickets', '--tenant', 'acme'], stderr: /INPUT_INVALID: tenant: no tenant "acme"/ },
];

describe('autotask-sync run with invalid job data', () => {
  it.each(jobDataCases)('$job --data — $name', async (c) => {
    const result = await run([c.job, '--data', c.json]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^autotask-sync run ${c.job}: INPUT_INVALID: `));
    expect(lines[0]).toMatch(c.field);
  });

  it.each(cliCases)('$name', async (c) => {
    const result = await run(c.argv);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(c.stderr);
  });

  it('--json prints one JSON object naming the field', async () => {
    const result = await run(['detect-problems', '--json', '--data', '{"ticketId":-1}']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, job: 'detect-problems', error: { code: 'INPUT_INVALID', message: expect.stringMatching(/data\.ticketId/) } });
  });

  it('sent not one request to the tenant, and a valid run still completes', async () => {
    expect(sandbox.stats().totalRequests).toBe(0);
    const result = await run(['sync-contracts', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, job: 'sync-contracts' });
    expect(sandbox.stats().writes).toEqual({});
  });
});
