/**
 * The data shapes of problem detection. Tickets carry the Autotask REST field names (docs/autotask-api.md#tickets: note
 * `problemTicketId` with a lower-case d); every field but `id` may be null or missing, because exports and
 * webhook payloads are partial. The rule-set shape is what `config/sections/detection.ts` parses to — rules do
 * not import config, so the structural type lives here and the config section imports the field list.
 */

import { TICKET_STATUS, TICKET_TYPE } from '../lib/ticket-values.js';

export const TICKET_TYPE_PROBLEM = TICKET_TYPE.problem;
export const TICKET_TYPE_CHANGE_REQUEST = TICKET_TYPE.changeRequest;
export const TICKET_STATUS_COMPLETE = TICKET_STATUS.complete;

export interface DetectionTicket {
  id: number;
  ticketNumber?: string | null;
  title?: string | null;
  description?: string | null;
  companyID?: number | null;
  companyLocationID?: number | null;
  configurationItemID?: number | null;
  contactID?: number | null;
  /** ISO date-time in UTC (docs/autotask-api.md#dates). */
  createDate?: string | null;
  completedDate?: string | null;
  issueType?: number | null;
  subIssueType?: number | null;
  queueID?: number | null;
  source?: number | null;
  priority?: number | null;
  status?: number | null;
  ticketType?: number | null;
  problemTicketId?: number | null;
  externalID?: string | null;
}

/** Fields a rule set can require to be equal and non-null. `title` compares the exact title (case and spacing aside). */
export const DETECTION_KEY_FIELDS = ['companyID', 'configurationItemID', 'companyLocationID', 'contactID', 'queueID',
  'issueType', 'subIssueType', 'source', 'priority', 'title'] as const;
export type DetectionKeyField = (typeof DETECTION_KEY_FIELDS)[number];

export interface DetectionFilters {
  source?: readonly number[] | undefined;
  queueID?: readonly number[] | undefined;
  issueType?: readonly number[] | undefined;
  ticketType?: readonly number[] | undefined;
}

export interface DetectionRuleSet {
  name: string;
  keyFields: readonly DetectionKeyField[];
  /** 0..1; 0 turns the title check off (the key alone decides). */
  titleSimilarity: number;
  /** Both titles must name the same host-style token (SRV-DC01, 10.0.0.5): for keys without a configuration item. */
  requireSharedHost?: boolean | undefined;
  filters?: DetectionFilters | undefined;
  /** Tickets chain while each is within this many hours of the previous one in the group. */
  windowHours: number;
  /** Tickets (history included) a new group needs before it is reported. */
  minCount: number;
  /** Groups less sure than this (group-evidence.ts) are not reported; their tickets stay free for later rule sets. */
  minConfidence?: number | undefined;
}

export interface DetectionOptions {
  /** Completed tickets always count as evidence; they are put in `newLinks` only when this is true. */
  linkCompleted: boolean;
  /** Epoch ms or a Date. Tickets created after it are left out, and `active` is judged against it. */
  now: number | Date;
}

export interface DetectionInput {
  tickets: Iterable<DetectionTicket>;
  ruleSets: readonly DetectionRuleSet[];
  options: DetectionOptions;
  /**
   * Tickets that a person unlinked from a Problem we had linked them to (the link ledger in src/store knows them).
   * They are never offered for linking again and do not count as evidence: the person said they do not belong.
   */
  unlinkedByPerson?: ReadonlySet<number> | undefined;
}

export interface ProblemGroup {
  /** Stable id of the group (≤ 50 characters, fits the Problem's externalID — docs/autotask-api.md#tickets). */
  groupKey: string;
  /** The rule set that formed the group (for an existing problem: the first one that added a ticket). */
  ruleSet: string;
  /** The key field values the members share. */
  key: Record<string, string | number>;
  /** The existing Problem, or null when a new Problem ticket must be created. */
  problemTicketId: number | null;
  /**
   * A completed Problem this series was linked to before: a recurrence after closure gets a new Problem (with its
   * own group key) whose description refers to this one. Null when there is none.
   */
  previousProblemId: number | null;
  /** Every member, ascending: the problem, its already-linked incidents, and the new ones. */
  ticketIds: number[];
  /** Tickets to PATCH with `problemTicketId` (never a Problem, a Change Request or an already-linked ticket). */
  newLinks: number[];
  /** Members already linked to `problemTicketId` by a person or an earlier run. */
  existingLinks: number[];
  /** Title of the earliest member, for the new Problem's title. */
  title: string;
  companyID: number | null;
  configurationItemID: number | null;
  firstCreateDate: string | null;
  lastCreateDate: string | null;
  /** The last member is within the rule set's window of `now`: the issue still recurs. */
  active: boolean;
  reason: string;
  /** 0..1: how far the evidence rises above the key's base rate (src/rules/group-evidence.ts). */
  confidence: number;
  confidenceReason: string;
}

export interface DetectionStats {
  tickets: number;
  /** Left out: Change Requests, closed Problems and their incidents, tickets without a date or after `now`. */
  ignored: number;
  /** Left out because a person unlinked them from a Problem we had linked them to. */
  unlinkedByPerson: number;
  groups: number;
  newLinks: number;
}

export interface DetectionResult {
  groups: ProblemGroup[];
  stats: DetectionStats;
}
