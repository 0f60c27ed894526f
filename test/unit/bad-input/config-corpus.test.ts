/**
 * Broken configurations: each is refused at load with a ConfigError whose issue names the field, never later in a
 * job. Secrets of the environment do not appear in the error. Schedule data is checked against the job's own
 * schema when the worker starts (desiredSchedules), naming the field as well.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.js';
import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../../jobs/define-job.js';
import { jobRegistry, type JobRegistry } from '../../../jobs/registry.js';
import { ConfigError } from '../../../src/lib/errors.js';
import { desiredSchedules } from '../../../src/runtime/schedules.js';
import { configCases } from '../../fixtures/bad-input/config-cases.js';

const CREDS = { AUTOTASK_USERNAME: 'api@example.com', AUTOTASK_SECRET: 'Config-Corpus-Secret-77', AUTOTASK_INTEGRATION_CODE: 'CONFIGCORPUSCODE0001' };
const dir = mkdtempSync(join(tmpdir(), 'bad-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig refuses broken configurations, naming the field', () => {
  it.each(configCases)('$name', (c) => {
    let file: string | undefined;
    if (c.text !== undefined) {
      file = join(dir, `${c.name.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, c.text);
    }
    const env = { ...CREDS, ...(file ? { SYNC_CONFIG: file } : {}), ...c.env };
    const error = configError(() => loadConfig({ env, ...(c.text === undefined && 'file' in c ? { file: c.file } : {}), requireTenant: true }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.issues.some((issue) => c.issue.test(issue)), error.issues.join('\n')).toBe(true);
    expect(error.message).not.toContain(CREDS.AUTOTASK_SECRET);
    expect(error.message).not.toContain(CREDS.AUTOTASK_INTEGRATION_CODE);
  });
});

// Until jobs/build-invoices.ts is registered, a stand-in lets sync-all's stages all resolve (its data is not under test).
const standIn = defineJob({ name: 'build-invoices', description: 'stand-in', writesToTenant: true, schema: z.strictObject({ deliver: z.boolean().optional() }),
  handler: async () => ({ summary: '', counts: {} }) }) as unknown as JobDefinition;
const registry: JobRegistry = jobRegistry.jobs.has('build-invoices') ? jobRegistry
  : { jobs: new Map([...jobRegistry.jobs, ['build-invoices', standIn]]), flows: jobRegistry.flows };

describe('schedule data is checked against the job when the worker starts', () => {
  const schedulesOf = (schedules: unknown[]) => loadConfig({ env: CREDS, file: { schedules } });

  it.each([
    { name: 'a pull with full as a string', data: { job: 'sync-tickets', everyMinutes: 5, data: { full: 'always' } }, issue: /^SYNC_CONFIG schedules\.0\.data\.full: / },
    { name: 'detect-problems with an unknown field', data: { job: 'detect-problems', everyMinutes: 5, data: { ticketIds: [1] } }, issue: /^SYNC_CONFIG schedules\.0\.data: Unrecognized key: "ticketIds"/ },
    { name: 'sync-all with bad data for one stage', data: { job: 'sync-all', everyMinutes: 15, data: { stageData: { 'sync-tickets': { full: 1 } } } }, issue: /^SYNC_CONFIG schedules\.0\.data\.stageData\.sync-tickets\.full: / },
  ])('$name', ({ data, issue }) => {
    const error = configError(() => desiredSchedules(schedulesOf([data]), registry, ['default']));
    expect(error.issues.some((text) => issue.test(text)), error.issues.join('\n')).toBe(true);
  });
});
