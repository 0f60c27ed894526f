import { z } from 'zod';

/** The `timeEntries` section; src/rules/time-entry.ts has the rules that read it. */
export const timeEntriesSection = z.strictObject({
  rounding: z.strictObject({
    // MSP defaults (README "Time entries"): tenth-hour increments rounded up, a quarter-hour minimum charge.
    mode: z.enum(['none', 'up', 'nearest']).default('up').describe('how worked time becomes hoursWorked (nearest never rounds work down to zero)'),
    minutes: z.number().int().min(1).max(60).default(6).describe('rounding increment in minutes'),
    minimumMinutes: z.number().int().min(0).max(240).default(15).describe('entries shorter than this are billed as this many minutes (0 = off)'),
  }).prefault({}),
  // The start never moves: it is what the look-before-create searches on.
  spanPolicy: z.enum(['adjust', 'refuse']).default('adjust')
    .describe('when rounding makes the hours longer than the start–end span: adjust moves endDateTime later, refuse fails the entry (SPAN_TOO_SHORT)'),
  defaultRoles: z.record(z.string().regex(/^\d+$/, 'a resource id'), z.number().int().positive()).default({})
    .describe('resourceID → roleID, used when no role is given and the resource is not the ticket\'s assigned resource'),
  summaryTemplate: z.string().min(1).max(500).default('Work on {ticketNumber}: {ticketTitle}')
    .describe('fills summaryNotes when an entry has none (Autotask requires it): {ticketNumber} {ticketTitle} {minutes}'),
  allowFutureStart: z.boolean().default(false).describe('accept entries whose start is more than 5 minutes after now (off: refused as FUTURE_START, naming startDateTime)'),
  allowCompletedTickets: z.boolean().default(false).describe('stopwatches may start, and entries be pushed, on completed tickets (status 5)'),
  midnight: z.enum(['refuse', 'allow']).default('refuse')
    .describe('an entry crossing midnight (in timeZone): refuse it (SPANS_MIDNIGHT), or allow when the tenant setting "Allow time entries to span over midnight" is on'),
  timeZone: z.string().min(1).default('UTC').refine((zone) => {
    try { new Intl.DateTimeFormat('en-CA', { timeZone: zone }); return true; } catch { return false; }
  }, 'an IANA time zone such as Europe/Berlin').describe('IANA time zone of the tenant: dateWorked is the day the work started there, and the "span over midnight" rule uses its midnight'),
  proxy: z.enum(['impersonate', 'as-api-user']).default('impersonate')
    .describe('impersonate: each create carries ImpersonationResourceId = the entry\'s resource (works without Proxy Time Entry); as-api-user: the tenant must allow Proxy Time Entry'),
}).prefault({});
