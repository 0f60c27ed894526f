/**
 * `detection` section of SYNC_CONFIG: the problem-detection rule sets (src/rules/problem-detection.ts) and how
 * the detect-problems job writes a new Problem. Without a `ruleSets` list the defaults below apply; they catch
 * monitoring-alert repeats (the narcoleptic server) without grouping unrelated tickets.
 */
import { z } from 'zod';
import { DETECTION_KEY_FIELDS } from '../../src/rules/detection-types.js';

/** Fields every Problem gets from the worker itself; the template may not override them. */
export const RESERVED_PROBLEM_FIELDS = new Set(['id', 'tickettype', 'title', 'description', 'companyid', 'configurationitemid', 'externalid',
  'status', 'priority', 'queueid', 'problemticketid']);

export { DETECTION_KEY_FIELDS };

const ids = z.array(z.number().int());
const only = (field: string) => ids.optional().describe(`only tickets whose ${field} is one of these`);

export const ruleSetSchema = z.strictObject({
  name: z.string().min(1).max(40).describe('rule set name (part of each group key)'),
  /** Fields that must be equal (and not null) for tickets to share a problem. */
  keyFields: z.array(z.enum(DETECTION_KEY_FIELDS)).min(1)
    .refine((fields) => new Set(fields).size === fields.length, 'each field once')
    .default(['companyID', 'configurationItemID']).describe('fields that must be equal and present for tickets to share a problem'),
  /** Token-set similarity of normalised titles, 0..1; 0 turns the title check off. */
  titleSimilarity: z.number().min(0).max(1).default(0.6).describe('token-set similarity of normalised titles, 0..1; 0 turns the title check off'),
  /** Both titles must name the same host-style token (SRV-DC01): for keys without a configuration item. */
  requireSharedHost: z.boolean().default(false).describe('both titles must name the same host (SRV-DC01, an IP): for keys without a configuration item'),
  /** Only tickets with one of these values take part (an existing Problem and its incidents always do). */
  filters: z.strictObject({
    source: only('source'),
    queueID: only('queueID'),
    issueType: only('issueType'),
    ticketType: only('ticketType'),
  }).prefault({}).describe('only tickets with one of these values take part (an existing Problem and its incidents always do)'),
  /** Tickets chain while each is within this many hours of the previous one in the group. */
  windowHours: z.number().positive().max(24 * 365).default(7 * 24).describe('tickets chain while each is within this many hours of the previous one'),
  /** Tickets (completed ones included) a new group needs. */
  minCount: z.number().int().min(2).max(1000).default(3).describe('tickets (completed ones included) a new group needs'),
  /** Evidence above the key's base rate (src/rules/group-evidence.ts); below it a chain is not a group. */
  minConfidence: z.number().min(0).max(1).default(0.5).describe('a group needs this confidence (share of its key\'s traffic, regularity or burst, times title agreement), 0..1'),
});

/**
 * The default rule sets, as a file would write them (parsed, so every omitted field takes its default).
 * 1. Same company and configuration item, similar title, each within a week of the previous one: a CI alerting
 *    every afternoon, or a backup failing every few days, becomes one group; 3 tickets make a pattern.
 * 2. Monitoring alerts (source 8, docs/autotask-api.md#tickets) without a configuration item: same company and a title
 *    naming the same host (SRV-DC01), so disk alerts on three servers stay three groups.
 */
export const DEFAULT_RULE_SETS = [
  { name: 'same-configuration-item', keyFields: ['companyID', 'configurationItemID'], titleSimilarity: 0.6,
    windowHours: 7 * 24, minCount: 3 },
  { name: 'monitoring-alert-host', keyFields: ['companyID'], titleSimilarity: 0.6, requireSharedHost: true,
    filters: { source: [8] }, windowHours: 7 * 24, minCount: 3 },
] as const;

export const detectionSection = z.strictObject({
  ruleSets: z.array(ruleSetSchema)
    .refine((sets) => new Set(sets.map((s) => s.name)).size === sets.length, 'rule set names must be unique')
    .prefault(() => DEFAULT_RULE_SETS.map((s) => structuredClone(s) as never))
    .describe('problem-detection rule sets; default: same company + configuration item, and monitoring alerts naming the same host'),
  /**
   * The whole series is the Problem's story (issue 15): completed instances are linked too. The link touches only
   * problemTicketId (and ticketType with setIncidentType), never status or dates. Turn it off when workflow rules
   * notify or reopen on any edit of a completed ticket (docs/problem-detection.md).
   */
  linkCompleted: z.boolean().default(true).describe('also link completed tickets (only problemTicketId/ticketType change; off when workflow rules act on any edit)'),
  /**
   * Review before write (issue 15): `link` writes the groups whose confidence clears autoLinkConfidence and
   * proposes the rest as suggestions; `suggest` writes nothing until a person approves.
   */
  mode: z.enum(['link', 'suggest']).default('link').describe('link: write confident groups, suggest the rest; suggest: write only approved suggestions'),
  autoLinkConfidence: z.number().min(0).max(1).default(0.5).describe('in link mode, groups at least this confident are linked without review'),
  /** Set ticketType 2 (Incident) on each linked ticket. */
  setIncidentType: z.boolean().default(true).describe('set ticketType 2 (Incident) on each linked ticket'),
  problem: z.strictObject({
    queueID: z.number().int().nullable().default(null).describe('queue of a new Problem (null: the first incident\'s queue); checked against the tenant\'s picklist'),
    priority: z.number().int().nullable().default(null).describe('priority of a new Problem (null: the first incident\'s); checked against the picklist'),
    status: z.number().int().default(1).describe('status of a new Problem (1 = New); checked against the picklist'),
    titlePrefix: z.string().max(60).default('Problem: ').describe('put before the first incident\'s title'),
    addNote: z.boolean().default(true).describe('add a note to the Problem listing the incidents linked'),
    // Required ticket fields depend on the tenant's ticket category (issue type, source, billing code…).
    fields: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/, 'a Tickets field name'),
      z.union([z.string().max(8000), z.number(), z.boolean(), z.null()])).default({})
      .refine((f) => !Object.keys(f).some((k) => RESERVED_PROBLEM_FIELDS.has(k.toLowerCase())),
        `${[...RESERVED_PROBLEM_FIELDS].join(', ')} are set by the worker (use status, priority, queueID above for those)`)
      .describe('more writable Tickets fields of a new Problem (e.g. {"issueType": 5, "subIssueType": 12, "source": 4}); checked against the tenant\'s field metadata and picklists before any write'),
  }).prefault({}),
}).prefault({});

export type DetectionConfig = z.infer<typeof detectionSection>;
export type RuleSetConfig = z.infer<typeof ruleSetSchema>;
