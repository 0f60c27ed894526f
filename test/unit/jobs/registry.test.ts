/**
 * What derives from the job definitions (jobs/registry.ts): the sync-all plan and the jobs that take the tenant's
 * write lease. These were hand-written lists before; the derived ones must say exactly the same.
 */
import { describe, expect, it } from 'vitest';
import { jobDefinitions, jobRegistry, syncAllPlan } from '../../../jobs/registry.js';
import { JOB_NAMES } from '../../../src/lib/job-names.js';

describe('job registry', () => {
  it('has one definition per job name', () => {
    expect(jobDefinitions.map((d) => d.name).sort()).toEqual([...JOB_NAMES].sort());
  });

  it('derives the sync-all flow from each job\'s syncAllStage', () => {
    expect(syncAllPlan).toEqual({
      parallel: ['sync-contracts', 'sync-billing-items', 'sync-tickets'],
      chain: ['build-invoices', 'detect-problems', 'push-time-entries'],
    });
    expect(jobRegistry.flows.get('sync-all')).toBe(syncAllPlan);
  });

  it('lets exactly the jobs that write to the tenant take its lease', () => {
    expect(jobDefinitions.filter((d) => d.writesToTenant).map((d) => d.name).sort())
      .toEqual(['build-invoices', 'detect-problems', 'push-time-entries']);
  });
});
