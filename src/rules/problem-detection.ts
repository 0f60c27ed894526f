/**
 * Problem detection (issue 7): groups recurring tickets into problem groups, respecting what people did.
 * - A ticket already linked to a Problem is never moved; it is evidence, and its Problem is its group's Problem.
 * - An open Problem (ticketType 3, status not 5 — docs/autotask-api.md#tickets) gains new tickets of the same key and a
 *   similar title, instead of a second Problem being made.
 * - Problems and Change Requests are never made incidents; closed Problems and their incidents are settled history.
 * - Completed tickets count toward a group, and are linked only when `linkCompleted`.
 * - A completed Problem is never joined again; a recurrence is a new group naming it (`previousProblemId`).
 * - A ticket a person unlinked from a Problem we linked it to (`unlinkedByPerson`) is left alone for good.
 * - An open Problem is joined only on evidence about the Problem itself (problem-anchors.ts), never because a
 *   person linked one look-alike to it.
 * Rule sets run in order; a ticket grouped by one is not offered to the next. Within a rule set tickets are
 * bucketed by key and each bucket is swept oldest first (problem-clusters.ts), so the cost is n·log n plus a
 * bounded amount per ticket; buckets too small or too spread out to form a group are not even sorted.
 */
import { anchorsByBucket } from './problem-anchors.js';
import { clusterBucket } from './problem-clusters.js';
import {
  compareRecords, KeyBuckets, keyValues, parseTime, passesFilters, type TicketRecord,
} from './detection-ticket.js';
import {
  TICKET_TYPE_CHANGE_REQUEST, TICKET_TYPE_PROBLEM,
  type DetectionInput, type DetectionTicket, type DetectionResult,
} from './detection-types.js';
import { groupKeyOf, recurrenceKeyOf } from './group-key.js';
import {
  addToAnchor, anchorToGroup, chainToGroup, isComplete, type Anchor, type ChainGroup,
} from './problem-groups.js';
import { chainEvidence } from './group-evidence.js';
import { TitleTokenCache, titleSignature, titleSimilarity, type TitleTokens } from './title-similarity.js';

export type * from './detection-types.js';

export function detectProblems(input: DetectionInput): DetectionResult {
  const { ruleSets, options } = input;
  const now = typeof options.now === 'number' ? options.now : options.now.getTime();

  const tickets = uniqueById(input.tickets);

  // A link to a ticket we hold that is not an open Problem (closed, or not a Problem at all) is settled history.
  // Only the link targets are looked up, so no index of every ticket is built.
  const targets = new Set<number>();
  for (const t of tickets) if (t.problemTicketId != null && t.ticketType !== TICKET_TYPE_PROBLEM) targets.add(t.problemTicketId);
  const settledTargets = new Set<number>();
  for (const t of tickets) {
    if (targets.has(t.id) && !(t.ticketType === TICKET_TYPE_PROBLEM && !isComplete(t))) settledTargets.add(t.id);
  }

  const anchors = new Map<number, Anchor>();
  const anchorOf = (problemId: number): Anchor => {
    let anchor = anchors.get(problemId);
    if (!anchor) {
      anchor = { problemId, problem: null, linked: [], added: [], ruleSet: null, key: null, keyRecord: null, scores: [] };
      anchors.set(problemId, anchor);
    }
    return anchor;
  };
  const openByExternalId = new Map<string, number>();
  // Completed Problems by the group key they carry: never joined again; a recurrence gets a key of its own.
  const closedByExternalId = new Map<string, number>();
  const unlinked = input.unlinkedByPerson;
  let unlinkedCount = 0;
  // Candidates as two parallel arrays: a million tickets should not cost a million extra objects.
  const candidates: DetectionTicket[] = [];
  const times: number[] = [];
  let ignored = 0;

  for (const ticket of tickets) {
    if (ticket.ticketType === TICKET_TYPE_CHANGE_REQUEST) ignored += 1;
    else if (ticket.ticketType === TICKET_TYPE_PROBLEM) {
      if (isComplete(ticket)) {
        ignored += 1;
        if (ticket.externalID) closedByExternalId.set(ticket.externalID, ticket.id);
        continue;
      }
      anchorOf(ticket.id).problem = { ticket, time: parseTime(ticket.createDate) };
      if (ticket.externalID) openByExternalId.set(ticket.externalID, ticket.id);
    } else if (ticket.problemTicketId !== null && ticket.problemTicketId !== undefined) {
      if (settledTargets.has(ticket.problemTicketId)) ignored += 1;
      else anchorOf(ticket.problemTicketId).linked.push({ ticket, time: parseTime(ticket.createDate) });
    } else if (unlinked?.has(ticket.id) === true) {
      unlinkedCount += 1;
    } else {
      const time = parseTime(ticket.createDate);
      if (time === null || time > now) ignored += 1;
      else {
        candidates.push(ticket);
        times.push(time);
      }
    }
  }
  for (const anchor of anchors.values()) anchor.linked.sort(compareRecords);
  const orderedAnchors = [...anchors.values()].sort((a, b) => a.problemId - b.problemId);

  const grouped = new Set<number>();
  const chainGroups: ChainGroup[] = [];
  const tokens = new TitleTokenCache();

  for (const ruleSet of ruleSets) {
    const buckets = new KeyBuckets(ruleSet.keyFields);
    for (let i = 0; i < candidates.length; i += 1) {
      const ticket = candidates[i]!;
      if (grouped.has(ticket.id) || !passesFilters(ticket, ruleSet)) continue;
      buckets.find(ticket, true)?.push(i);
    }
    const bucketAnchors = anchorsByBucket(orderedAnchors, ruleSet, buckets, tokens);
    const windowMs = ruleSet.windowHours * 3_600_000;
    const compareTitles = ruleSet.titleSimilarity > 0 || ruleSet.requireSharedHost === true;

    for (const indexes of buckets.buckets()) {
      const anchorsHere = bucketAnchors.get(indexes) ?? [];
      // Too few tickets to make a group and no Problem to join: nothing to compare (most buckets of a tenant).
      if (indexes.length < ruleSet.minCount && anchorsHere.length === 0) continue;
      const sorted = indexes.map((i): TicketRecord => ({ ticket: candidates[i]!, time: times[i]! })).sort(compareRecords);
      const records = anchorsHere.length > 0 ? sorted : withinReach(sorted, windowMs);
      if (records.length < ruleSet.minCount && anchorsHere.length === 0) continue;
      const key = keyValues(records[0]!.ticket, ruleSet.keyFields)!;
      // The key's base rate, built only when a chain long enough to judge closes (most buckets never have one).
      let bucketTimes: number[] | null = null;
      clusterBucket({
        records,
        anchors: anchorsHere,
        tokens,
        ruleSet,
        closeChain: (chain) => {
          if (chain.members.length < ruleSet.minCount) return;
          bucketTimes ??= sorted.map((r) => r.time!);
          const evidence = chainEvidence({ times: chain.members.map((m) => m.time!), bucketTimes,
            titleAgreement: compareTitles ? titleAgreement(chain.seed, chain.members, tokens) : null });
          // Not sure enough: not a group, and its tickets stay free for the next rule set.
          if (evidence.confidence < (ruleSet.minConfidence ?? 0)) return;
          const { groupKey, previousProblemId } = afterClosed(groupKeyOf(ruleSet.name, key, titleSignature(chain.seed)), closedByExternalId);
          for (const member of chain.members) grouped.add(member.ticket.id);
          // A Problem this run's job made earlier carries the group key: join it even if its title was edited.
          const existing = openByExternalId.get(groupKey);
          if (existing !== undefined) {
            const anchor = anchorOf(existing);
            for (const member of chain.members) addToAnchor(anchor, member, ruleSet, key, evidence.confidence);
          } else chainGroups.push({ ruleSet, key, chain, groupKey, previousProblemId, evidence });
        },
      });
    }
    // Tickets an anchor took during this rule set are grouped too.
    for (const anchor of orderedAnchors) for (const r of anchor.added) grouped.add(r.ticket.id);
  }

  const groups = [
    ...chainGroups.map((g) => chainToGroup(g, options.linkCompleted, now)),
    ...orderedAnchors.filter((a) => a.added.length > 0).map((a) => anchorToGroup(a, options.linkCompleted, now)),
  ].sort((a, b) => a.ticketIds[0]! - b.ticketIds[0]!);
  return {
    groups,
    stats: { tickets: tickets.length, ignored, unlinkedByPerson: unlinkedCount, groups: groups.length, newLinks: groups.reduce((n, g) => n + g.newLinks.length, 0) },
  };
}

/**
 * The tickets with distinct ids; when an id repeats, its last occurrence wins (a re-read ticket replaces its
 * older copy). Checked on a sorted copy of the ids, so the usual case — no repeats — builds no map.
 */
function uniqueById(input: Iterable<DetectionTicket>): DetectionTicket[] {
  const all = Array.isArray(input) ? (input as DetectionTicket[]) : [...input];
  const ids = new Float64Array(all.length);
  for (let i = 0; i < all.length; i += 1) ids[i] = all[i]!.id;
  ids.sort();
  let repeats = false;
  for (let i = 1; i < ids.length && !repeats; i += 1) repeats = ids[i] === ids[i - 1];
  if (!repeats) return all;
  const last = new Map<number, DetectionTicket>();
  for (const t of all) last.set(t.id, t);
  return [...last.values()];
}

/**
 * The records that have a neighbour within the window: without a Problem to join, a ticket alone in time can
 * neither start nor join a chain, so it need not be tokenised or compared.
 */
function withinReach(sorted: readonly TicketRecord[], windowMs: number): TicketRecord[] {
  return sorted.filter((r, i) => {
    const before = sorted[i - 1];
    const after = sorted[i + 1];
    return (before !== undefined && r.time! - before.time! <= windowMs) || (after !== undefined && after.time! - r.time! <= windowMs);
  });
}

/**
 * The group key a series uses now: when the Problem carrying its key was completed, the recurrence's own key
 * (and again, when that Problem was completed too), with the last completed Problem to refer to.
 */
function afterClosed(base: string, closedByExternalId: ReadonlyMap<string, number>): { groupKey: string; previousProblemId: number | null } {
  let groupKey = base;
  let previousProblemId: number | null = null;
  // Each step needs a completed Problem holding the previous key, so this ends within the number of them.
  for (let closed = closedByExternalId.get(groupKey); closed !== undefined; closed = closedByExternalId.get(groupKey)) {
    previousProblemId = closed;
    groupKey = recurrenceKeyOf(groupKey, closed);
  }
  return { groupKey, previousProblemId };
}

/** Titles compared for a group's confidence: enough to judge agreement, bounded for very long chains. */
const AGREEMENT_SAMPLE = 16;

/** Mean similarity of the members' titles to the first member's (an evenly spread sample of them). */
function titleAgreement(seed: TitleTokens, members: readonly TicketRecord[], tokens: TitleTokenCache): number {
  const step = Math.max(1, Math.floor(members.length / AGREEMENT_SAMPLE));
  let sum = 0;
  let count = 0;
  for (let i = 0; i < members.length; i += step) {
    const t = tokens.of(members[i]!.ticket.title);
    sum += t === seed ? 1 : titleSimilarity(seed, t);
    count += 1;
  }
  return count === 0 ? 0 : sum / count;
}
