import { z } from 'zod';

export const timeEntriesSection = z.strictObject({
  rounding: z.strictObject({
    mode: z.enum(['none', 'up', 'nearest']).default('none'),
    /** Rounding increment in minutes. */
    minutes: z.number().int().min(1).max(60).default(6),
    /** Entries shorter than this are billed as this many minutes (0 = off). */
    minimumMinutes: z.number().int().min(0).max(240).default(0),
  }).prefault({}),
  /** When rounding makes the hours longer than the span sent: widen the span ('adjust') or refuse the entry. */
  spanPolicy: z.enum(['adjust', 'refuse']).default('adjust'),
  /** resourceID → roleID used when no role is given and the resource is not the ticket's assigned resource. */
  defaultRoles: z.record(z.string().regex(/^\d+$/, 'a resource id'), z.number().int().positive()).default({}),
  /** Placeholders: {ticketNumber} {ticketTitle} {minutes}. */
  summaryTemplate: z.string().min(1).max(500).default('Work on {ticketNumber}: {ticketTitle}'),
  /** A stopwatch may be started on a completed ticket. */
  allowCompletedTickets: z.boolean().default(false),
}).prefault({});
