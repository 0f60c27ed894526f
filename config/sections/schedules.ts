import { z } from 'zod';
import { JOB_NAMES } from '../../src/lib/job-names.js';

/** One schedule: a cron pattern (with a timezone) or a fixed interval, for one job of one tenant. */
export const scheduleEntry = z
  .strictObject({
    job: z.enum(JOB_NAMES),
    tenant: z.string().min(1).default('default'),
    cron: z.string().min(9).optional(),
    tz: z.string().min(1).default('UTC'),
    everyMinutes: z.number().int().min(1).max(10_080).optional(),
    data: z.record(z.string(), z.unknown()).default({}),
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
  }, { message: 'unknown time zone', path: ['tz'] });

export const schedulesSection = z.array(scheduleEntry).default([]);
