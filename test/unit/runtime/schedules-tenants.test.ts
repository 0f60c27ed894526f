/** Issue 18, trap 4: a schedule that names no tenant applies to every configured tenant (extra tenants were silently left out). */
import { describe, expect, it } from 'vitest';
import { scheduleEntry } from '../../../config/sections/schedules.js';
import { jobRegistry } from '../../../jobs/registry.js';
import { desiredSchedules } from '../../../src/runtime/schedules.js';

const schedules = (...entries: unknown[]) => ({ schedules: entries.map((e) => scheduleEntry.parse(e)) });

describe('schedules and tenants', () => {
  it('a schedule without a tenant runs for every configured tenant', () => {
    const desired = desiredSchedules(schedules({ job: 'sync-all', everyMinutes: 15 }), jobRegistry, ['default', 'acme']);
    expect(desired.map((d) => d.id)).toEqual(['cfg:default:sync-all', 'cfg:acme:sync-all']);
    expect(desired.map((d) => d.entry.tenant)).toEqual(['default', 'acme']);
  });

  it('a schedule that names a tenant runs for that tenant only, and an unknown one is refused', () => {
    expect(desiredSchedules(schedules({ job: 'sync-all', everyMinutes: 15, tenant: 'acme' }), jobRegistry, ['default', 'acme'])
      .map((d) => d.id)).toEqual(['cfg:acme:sync-all']);
    expect(() => desiredSchedules(schedules({ job: 'sync-all', everyMinutes: 15, tenant: 'nope' }), jobRegistry, ['default']))
      .toThrow(/schedules\.0\.tenant: no tenant "nope"/);
  });
});
