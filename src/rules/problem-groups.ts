/** Problem groups as detection reports them: from a new chain, or from an existing Problem that gained tickets. */
import type { Chain } from './problem-clusters.js';
import { compareRecords, type TicketRecord } from './detection-ticket.js';
import {
  TICKET_STATUS_COMPLETE, type DetectionRuleSet, type DetectionTicket, type ProblemGroup,
} from './detection-types.js';
import { groupKeyOf, GROUP_KEY_MAX } from './group-key.js';
import { anchorEvidence, type Evidence } from './group-evidence.js';
import { anchorReason, chainReason } from './problem-reason.js';
import { titleSignature, tokenizeTitle } from './title-similarity.js';

/** An existing Problem (open, or only known through the tickets linked to it) and what joins it in this run. */
export interface Anchor {
  readonly problemId: number;
  problem: TicketRecord | null;
  readonly linked: TicketRecord[];
  readonly added: TicketRecord[];
  ruleSet: DetectionRuleSet | null;
  key: (string | number)[] | null;
  /** The earliest new member of the first rule set that added one: the group's key comes from it. */
  keyRecord: TicketRecord | null;
  /** How well each added ticket matched the Problem (its confidence). */
  readonly scores: number[];
}

export interface ChainGroup {
  readonly ruleSet: DetectionRuleSet;
  readonly key: (string | number)[];
  readonly chain: Chain;
  readonly groupKey: string;
  readonly previousProblemId: number | null;
  readonly evidence: Evidence;
}

export const isComplete = (t: DetectionTicket): boolean => t.status === TICKET_STATUS_COMPLETE;

function keyObject(ruleSet: DetectionRuleSet, key: readonly (string | number)[]): Record<string, string | number> {
  return Object.fromEntries(ruleSet.keyFields.map((field, i) => [field, key[i]!]));
}

function isoOf(time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString();
}

/**
 * A new member for an existing Problem. The group is reported under the first rule set that added one and the
 * key of its earliest new member — whatever order the buckets were swept in.
 */
export function addToAnchor(anchor: Anchor, record: TicketRecord, ruleSet: DetectionRuleSet, key: (string | number)[], score: number): void {
  anchor.added.push(record);
  anchor.scores.push(score);
  if (anchor.ruleSet !== null && anchor.ruleSet !== ruleSet) return;
  if (anchor.keyRecord === null || compareRecords(record, anchor.keyRecord) < 0) {
    anchor.ruleSet = ruleSet;
    anchor.key = key;
    anchor.keyRecord = record;
  }
}

const confidenceOf = (e: Evidence): { confidence: number; confidenceReason: string } => ({ confidence: e.confidence, confidenceReason: e.reason });

function linkable(records: readonly TicketRecord[], linkCompleted: boolean): number[] {
  return records.filter((r) => linkCompleted || !isComplete(r.ticket)).map((r) => r.ticket.id).sort((a, b) => a - b);
}

function span(records: readonly TicketRecord[]): { first: number | null; last: number | null } {
  let first: number | null = null;
  let last: number | null = null;
  for (const { time } of records) {
    if (time === null) continue;
    if (first === null || time < first) first = time;
    if (last === null || time > last) last = time;
  }
  return { first, last };
}

export function chainToGroup({ ruleSet, key, chain, groupKey, previousProblemId, evidence }: ChainGroup, linkCompleted: boolean, now: number): ProblemGroup {
  const seed = chain.members[0]!.ticket;
  const { first, last } = span(chain.members);
  const firstCreateDate = isoOf(first);
  const lastCreateDate = isoOf(last);
  return {
    groupKey,
    ruleSet: ruleSet.name,
    key: keyObject(ruleSet, key),
    problemTicketId: null,
    previousProblemId,
    ticketIds: chain.members.map((r) => r.ticket.id).sort((a, b) => a - b),
    newLinks: linkable(chain.members, linkCompleted),
    existingLinks: [],
    title: seed.title ?? '',
    companyID: seed.companyID ?? null,
    configurationItemID: seed.configurationItemID ?? null,
    firstCreateDate,
    lastCreateDate,
    active: last !== null && now - last <= ruleSet.windowHours * 3_600_000,
    reason: chainReason({ ruleSet, key, title: seed.title ?? '', count: chain.members.length,
      completed: chain.members.filter((r) => isComplete(r.ticket)).length, first: firstCreateDate, last: lastCreateDate,
      previousProblemId }),
    confidence: evidence.confidence,
    confidenceReason: evidence.reason,
  };
}

export function anchorToGroup(anchor: Anchor, linkCompleted: boolean, now: number): ProblemGroup {
  const ruleSet = anchor.ruleSet!;
  const key = anchor.key ?? [];
  const problem = anchor.problem?.ticket ?? null;
  const all = [...(anchor.problem ? [anchor.problem] : []), ...anchor.linked, ...anchor.added];
  const ids = new Set(all.map((r) => r.ticket.id));
  ids.add(anchor.problemId);
  const reference = problem ?? anchor.linked[0]?.ticket ?? anchor.added[0]!.ticket;
  const externalID = problem?.externalID;
  const { first, last } = span([...anchor.linked, ...anchor.added]);
  return {
    groupKey: externalID && externalID.length <= GROUP_KEY_MAX ? externalID
      : groupKeyOf(ruleSet.name, key, titleSignature(tokenizeTitle(reference.title))),
    ruleSet: ruleSet.name,
    key: keyObject(ruleSet, key),
    problemTicketId: anchor.problemId,
    previousProblemId: null,
    ticketIds: [...ids].sort((a, b) => a - b),
    newLinks: linkable(anchor.added, linkCompleted),
    existingLinks: anchor.linked.map((r) => r.ticket.id).sort((a, b) => a - b),
    title: reference.title ?? '',
    companyID: reference.companyID ?? null,
    configurationItemID: reference.configurationItemID ?? null,
    firstCreateDate: isoOf(first),
    lastCreateDate: isoOf(last),
    active: last !== null && now - last <= ruleSet.windowHours * 3_600_000,
    reason: anchorReason({ ruleSet, key, problemId: anchor.problemId, problemTitle: problem?.title ?? null,
      added: anchor.added.length, linked: anchor.linked.length }),
    ...confidenceOf(anchorEvidence(anchor.scores)),
  };
}
