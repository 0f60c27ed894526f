import { z } from 'zod';

export const DETECTION_KEY_FIELDS = ['companyID', 'configurationItemID', 'companyLocationID', 'contactID', 'queueID',
  'issueType', 'subIssueType', 'source', 'title'] as const;

const ruleSet = z.strictObject({
  name: z.string().min(1),
  /** Fields that must be equal (and not null) for tickets to share a problem. */
  keyFields: z.array(z.enum(DETECTION_KEY_FIELDS)).min(1).default(['companyID', 'configurationItemID']),
  /** Token-set similarity of normalised titles, 0..1; 0 turns the title check off. */
  titleSimilarity: z.number().min(0).max(1).default(0.6),
  filters: z.strictObject({
    source: z.array(z.number().int()).optional(),
    queueID: z.array(z.number().int()).optional(),
    issueType: z.array(z.number().int()).optional(),
    ticketType: z.array(z.number().int()).optional(),
  }).prefault({}),
  /** Tickets chain while each is within this many hours of the previous one in the group. */
  windowHours: z.number().positive().max(24 * 365).default(14 * 24),
  minCount: z.number().int().min(2).max(1000).default(3),
});

export const detectionSection = z.strictObject({
  ruleSets: z.array(ruleSet).default([]),
  /** Completed tickets count as history; linking them too is optional. */
  linkCompleted: z.boolean().default(false),
  /** Set ticketType 2 (Incident) on each linked ticket. */
  setIncidentType: z.boolean().default(true),
  problem: z.strictObject({
    queueID: z.number().int().nullable().default(null),
    priority: z.number().int().nullable().default(null),
    status: z.number().int().default(1),
    titlePrefix: z.string().max(60).default('Problem: '),
    addNote: z.boolean().default(true),
  }).prefault({}),
}).prefault({});
