import { getNextMillis } from 'bullmq';
import { z } from 'zod';
import { JOB_NAMES } from '../../src/lib/job-names.js';

/** One schedule: a cron pattern (with a timezone) or a fixed interval, for one job of every tenant or of the one it names. */
export const scheduleEntry = z
  .strictObject({
    job: z.enum(JOB_NAMES).describe('the job to run'),
    tenant: z.string().min(1).optional().describe('only this tenant ("default" = the AUTOTASK_* variables); unset = every configured tenant'),
    cron: z.string().min(9).optional().describe('cron pattern (5 or 6 fields); give cron or everyMinutes'),
    tz: z.string().min(1).default('UTC').describe('IANA time zone of the cron pattern'),
    everyMinutes: z.number().int().min(1).max(10_080).optional().describe('fixed interval instead of cron'),
    data: z.record(z.string(), z.unknown()).default({}).describe('job data passed to each run'),
  })
  .refine((s) => (s.cron === undefined) !== (s.everyMinutes === undefined), {
    message: 'give exactly one of cron or everyMinutes',
  })
  .refine((s) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: s.tz });
      return true;
    } catch {
      return false;
    }
  }, { message: 'unknown time zone', path: ['tz'] })
  .superRefine((s, ctx) => {
    // Parsed by the same cron parser BullMQ's job scheduler uses, so a pattern it would refuse at worker start
    // (or one that never fires, like 31 February) is a config error naming the field instead.
    if (s.cron === undefined) return;
    let reason: string | undefined;
    try {
      if (getNextMillis(Date.UTC(2026, 0, 1), { pattern: s.cron, tz: 'UTC' }) === undefined) reason = 'never fires';
    } catch (error) {
      reason = (error as Error).message;
    }
    if (reason) ctx.addIssue({ code: 'custom', message: `not a cron pattern BullMQ accepts (${reason})`, path: ['cron'] });
  });

export const schedulesSection = z.array(scheduleEntry).default([]).describe('per-job schedules; the worker upserts them at start and removes those no longer listed');
