import { z } from 'zod';

export const timeEntriesSection = z.strictObject({
  rounding: z.strictObject({
    mode: z.enum(['none', 'up', 'nearest']).default('none'),
    /** Rounding increment in minutes. */
    minutes: z.number().int().min(1).max(60).default(6),
    /** Entries shorter than this are billed as this many minutes (0 = off). */
    minimumMinutes: z.number().int().min(0).max(240).default(0),
  }).prefault({}),
  /**
   * When rounding (or the minimum) makes the hours longer than the span sent: 'adjust' moves endDateTime later so
   * the span holds the billed hours (the start never moves: it is what the look-before-create searches on);
   * 'refuse' fails the entry with SPAN_TOO_SHORT. See src/rules/time-entry.ts.
   */
  spanPolicy: z.enum(['adjust', 'refuse']).default('adjust'),
  /** resourceID → roleID used when no role is given and the resource is not the ticket's assigned resource. */
  defaultRoles: z.record(z.string().regex(/^\d+$/, 'a resource id'), z.number().int().positive()).default({}),
  /** Fills summaryNotes when an entry has none (Autotask requires it). Placeholders: {ticketNumber} {ticketTitle} {minutes} (billed). */
  summaryTemplate: z.string().min(1).max(500).default('Work on {ticketNumber}: {ticketTitle}'),
  /** Stopwatches may start, and entries be pushed, on completed tickets (status 5). */
  allowCompletedTickets: z.boolean().default(false),
}).prefault({});
