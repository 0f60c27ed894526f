/**
 * When a ticket may join an existing open Problem (issue 15, "hijacking"). A person's link says that one ticket
 * belongs to that Problem, not that everything looking like the ticket does: a "SRV-DC01 offline" outage linked
 * to "Power outages at head office" must not pull the whole daily SRV-DC01 series in. So a ticket joins only on
 * evidence about the Problem as a whole:
 *  - the Problem ticket itself has the ticket's key and a similar title; or
 *  - most of the Problem's incidents have the ticket's key and a similar title, and that is more than one
 *    person's link (two or more incidents, or a Problem title that agrees too, or a Problem we do not hold);
 *  - (a Problem carrying our group key in externalID is joined by the chain that made it: problem-detection.ts).
 * Tickets that join in this run are not evidence for the next one: only what people (or earlier runs) linked.
 */
import type { BucketAnchor } from './problem-clusters.js';
import { keyValues, type KeyBuckets, type TicketRecord } from './detection-ticket.js';
import type { DetectionRuleSet } from './detection-types.js';
import { addToAnchor, type Anchor } from './problem-groups.js';
import { memberSimilarity, type TitleTokenCache, type TitleTokens } from './title-similarity.js';

/** Distinct incident titles compared per ticket; a Problem with more distinct titles is judged by its commonest. */
const MAX_TITLES = 64;
/** Without a title check, a Problem's title "agrees" with an incident when they are at least this alike. */
const AGREEMENT = 0.5;

interface Presence {
  problem: TicketRecord | null;
  incidents: TicketRecord[];
}

/** Each anchor's presence per bucket of this rule set, with the judgement above as its `score`. */
export function anchorsByBucket(anchors: readonly Anchor[], ruleSet: DetectionRuleSet, buckets: KeyBuckets,
  tokens: TitleTokenCache): Map<number[], BucketAnchor[]> {
  const result = new Map<number[], BucketAnchor[]>();
  for (const anchor of anchors) {
    const here = new Map<number[], Presence>();
    const presence = (bucket: number[]): Presence => {
      let p = here.get(bucket);
      if (!p) { p = { problem: null, incidents: [] }; here.set(bucket, p); }
      return p;
    };
    if (anchor.problem) {
      const bucket = buckets.find(anchor.problem.ticket, false);
      if (bucket) presence(bucket).problem = anchor.problem;
    }
    for (const incident of anchor.linked) {
      const bucket = buckets.find(incident.ticket, false);
      if (bucket) presence(bucket).incidents.push(incident);
    }
    for (const [bucket, p] of here) {
      const sample = p.problem ?? p.incidents[0]!;
      const key = keyValues(sample.ticket, ruleSet.keyFields)!;
      const entry = anchorEvidence(anchor, p, ruleSet, tokens, (record, score) => addToAnchor(anchor, record, ruleSet, key, score));
      const list = result.get(bucket);
      if (list) list.push(entry);
      else result.set(bucket, [entry]);
    }
  }
  return result;
}

function anchorEvidence(anchor: Anchor, here: Presence, ruleSet: DetectionRuleSet, cache: TitleTokenCache,
  accept: (record: TicketRecord, score: number) => void): BucketAnchor {
  const options = { requireSharedHost: ruleSet.requireSharedHost === true };
  const threshold = ruleSet.titleSimilarity;
  const total = anchor.linked.length;
  const problemTitle = anchor.problem ? cache.of(anchor.problem.ticket.title) : null;
  // Incident titles of this bucket with their counts, commonest first (titles are cached: identity is equality).
  const counts = new Map<TitleTokens, number>();
  for (const r of here.incidents) {
    const t = cache.of(r.ticket.title);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  const titles = [...counts].sort((a, b) => b[1] - a[1]).slice(0, MAX_TITLES);
  const problemHere = here.problem !== null && problemTitle !== null;
  const agrees = (a: TitleTokens | null, b: TitleTokens, bar: number): boolean =>
    a !== null && a.tokens.size > 0 && memberSimilarity(a, b, options) >= bar;

  return {
    problemId: anchor.problemId,
    accept,
    score(tokens, compareTitles) {
      if (!compareTitles) {
        const problemAgrees = titles.some(([t]) => agrees(problemTitle, t, AGREEMENT));
        const most = here.incidents.length * 2 > total && (here.incidents.length >= 2 || anchor.problem === null || problemAgrees);
        return most || problemHere ? 1 : 0;
      }
      let best = 0;
      let matching = 0;
      for (const [title, n] of titles) {
        const s = memberSimilarity(title, tokens, options);
        if (s >= threshold && s > 0) { matching += n; if (s > best) best = s; }
      }
      const problemScore = problemTitle !== null && problemTitle.tokens.size > 0 ? memberSimilarity(problemTitle, tokens, options) : 0;
      const problemMatches = problemScore >= threshold && problemScore > 0;
      const most = matching * 2 > total && (matching >= 2 || anchor.problem === null || problemMatches);
      if (most) return Math.max(best, problemHere && problemMatches ? problemScore : 0);
      return problemHere && problemMatches ? problemScore : 0;
    },
  };
}
