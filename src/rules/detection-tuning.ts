/**
 * Learning detection rules from a tenant's own links (issue 15, item 3; docs/problem-detection.md#tuning). Pure:
 * tickets and labels in, rules and figures out. The tickets are split by createDate: the earlier 70% to learn on,
 * the later 30% to score on, so the figures say how the rules do on tickets they have not seen, in the order a
 * tenant meets them. Everything is scored over the whole population (detection-scoring.ts).
 *
 * The search: the fixed-rule sweep (detection-sweep.ts, one linear pass per setting) ranks key fields, chain
 * window and minimum count on the learn part; the best few are then run through detectProblems with each title
 * similarity and confidence gate. A full grid through detectProblems would be thousands of runs; the sweep
 * prunes it to a few dozen. A candidate must pass the precision guard (share grouped at most 3× the true share,
 * the goal of issue 15 item 2); among those, the best mean pairwise F1 over the learn part's two time halves, each
 * scored as a population of its own, wins (ties: precision). Picked by the whole learn part alone, the UCI log's
 * winner grouped nothing right on the later 30%; judged per half it matches how the held-out part is scored.
 */
import { scoreGrouping, type Scores } from './detection-scoring.js';
import { describeRule, sweepFixedRules, type FixedRule } from './detection-sweep.js';
import { parseTime } from './detection-ticket.js';
import type { DetectionRuleSet, DetectionTicket } from './detection-types.js';
import { detectProblems } from './problem-detection.js';

export const LEARN_SHARE = 0.7;
/** Share grouped may be at most this many times the true share (issue 15, item 2). */
export const GUARD_SHARE_FACTOR = 3;
const TOP_FIXED_RULES = 6;
const TITLE_SIMILARITIES = [0, 0.5, 0.7, 0.9] as const;
const MIN_CONFIDENCES = [0, 0.25, 0.5] as const;

export interface TicketSplit {
  learn: DetectionTicket[];
  holdout: DetectionTicket[];
  /** createDate of the first held-out ticket (null when there is none). */
  cutoff: string | null;
  /** Tickets without a readable createDate: neither learnt on nor scored. */
  undated: number;
}

/** Earlier `share` of the dated tickets (by createDate, then id) to learn, the rest to score. */
export function splitByCreateDate(tickets: readonly DetectionTicket[], share = LEARN_SHARE): TicketSplit {
  const dated = tickets.map((ticket) => ({ ticket, time: parseTime(ticket.createDate) }))
    .filter((r): r is { ticket: DetectionTicket; time: number } => r.time !== null)
    .sort((a, b) => a.time - b.time || a.ticket.id - b.ticket.id);
  const at = Math.round(dated.length * share);
  const holdout = dated.slice(at).map((r) => r.ticket);
  return { learn: dated.slice(0, at).map((r) => r.ticket), holdout, cutoff: holdout[0]?.createDate ?? null,
    undated: tickets.length - dated.length };
}

/**
 * Labels from the tenant's own links: tickets with equal problemTicketId share a group, and the Problem ticket
 * itself belongs to it. Unlinked tickets have no label (each is its own group in the truth).
 */
export function labelsFromLinks(tickets: readonly DetectionTicket[]): Map<number, string> {
  const gold = new Map<number, string>();
  const problems = new Set<number>();
  for (const t of tickets) {
    if (typeof t.problemTicketId === 'number') {
      gold.set(t.id, `problem-${t.problemTicketId}`);
      problems.add(t.problemTicketId);
    }
  }
  for (const t of tickets) if (problems.has(t.id)) gold.set(t.id, `problem-${t.id}`);
  return gold;
}

/**
 * The tickets as detection must see them while being scored: without the links that are the answer. Left in,
 * detection would join the existing Problems and score its own labels.
 */
export function withoutLinks(tickets: readonly DetectionTicket[]): DetectionTicket[] {
  return tickets.map((t) => ({ ...t, problemTicketId: null, externalID: null, ticketType: null }));
}

function latestTime(tickets: readonly DetectionTicket[]): number {
  let max = 0;
  for (const t of tickets) max = Math.max(max, parseTime(t.createDate) ?? 0);
  return max;
}

/** Whole-population scores of rule sets on tickets already stripped of their links. */
export function scoreRules(tickets: readonly DetectionTicket[], ruleSets: readonly DetectionRuleSet[], gold: ReadonlyMap<number, string>): Scores {
  const result = detectProblems({ tickets, ruleSets, options: { linkCompleted: true, now: latestTime(tickets) } });
  return scoreGrouping(result.groups.map((g) => g.ticketIds), gold, tickets.length);
}

/** Only the labels of these tickets: a part is scored as a population of its own. */
function goldOf(tickets: readonly DetectionTicket[], gold: ReadonlyMap<number, string>): Map<number, string> {
  const out = new Map<number, string>();
  for (const t of tickets) {
    const label = gold.get(t.id);
    if (label !== undefined) out.set(t.id, label);
  }
  return out;
}

export function passesGuard(s: Scores): boolean {
  return s.grouped > 0 && s.groupedShare <= GUARD_SHARE_FACTOR * s.trueShare;
}

const better = (a: Scores, b: Scores | undefined): boolean => b === undefined || a.f1 > b.f1 || (a.f1 === b.f1 && a.precision > b.precision);

export function fixedRuleSet(rule: FixedRule, name = 'sweep-best'): DetectionRuleSet {
  return { name, keyFields: rule.keyFields, windowHours: rule.windowHours, minCount: rule.minCount, titleSimilarity: 0, minConfidence: 0 };
}

export interface LearnedRules {
  ruleSet: DetectionRuleSet;
  /** Scores on the tickets it was learnt on. */
  learnScores: Scores;
  /** The sweep's best fixed rule on the same tickets (pairwise F1, no guard: the issue's baseline to beat). */
  sweepRule: FixedRule;
  sweepScores: Scores;
  candidates: number;
  reason: string;
}

/** Learns one rule set on `tickets` (links already stripped) against `gold`; null when nothing groups at all. */
export function learnRules(tickets: readonly DetectionTicket[], gold: ReadonlyMap<number, string>): LearnedRules | null {
  const ranked: { rule: FixedRule; scores: Scores }[] = [];
  for (const { rule, groups } of sweepFixedRules(tickets)) ranked.push({ rule, scores: scoreGrouping(groups, gold, tickets.length) });
  if (ranked.length === 0) return null;
  ranked.sort((a, b) => b.scores.f1 - a.scores.f1 || b.scores.precision - a.scores.precision);
  const sweep = ranked[0]!;
  // The seeds: the best by F1, plus the best that already passes the guard (a busy key can top F1 while
  // grouping far too much; the confidence gate may still rescue it, so both kinds are tried).
  const seeds = [...ranked.slice(0, TOP_FIXED_RULES), ...ranked.filter((r) => passesGuard(r.scores)).slice(0, TOP_FIXED_RULES)];
  const inner = splitByCreateDate(tickets, 0.5);
  const tried = new Set<string>();
  let best: { ruleSet: DetectionRuleSet; scores: Scores; robust: Scores; guarded: boolean } | undefined;
  let candidates = 0;
  for (const { rule } of seeds) {
    for (const titleSimilarity of TITLE_SIMILARITIES) {
      for (const minConfidence of MIN_CONFIDENCES) {
        const ruleSet: DetectionRuleSet = { ...fixedRuleSet(rule, 'tuned'), titleSimilarity, minConfidence };
        const id = JSON.stringify(ruleSet);
        if (tried.has(id)) continue;
        tried.add(id);
        candidates += 1;
        const scores = scoreRules(tickets, [ruleSet], gold);
        // Robustness: the candidate is judged by its mean F1 over the two time halves of the learn part, each scored
        // as a population of its own, so chains that only stretch across the whole history do not win.
        const halves = [inner.learn, inner.holdout].map((part) => scoreRules(part, [ruleSet], goldOf(part, gold)).f1);
        const robust = { ...scores, f1: (halves[0]! + halves[1]!) / 2 };
        const guarded = passesGuard(scores);
        // A guarded candidate always beats an unguarded one; an unguarded one is kept only while none passes.
        if (best === undefined || (guarded && !best.guarded) || (guarded === best.guarded && better(robust, best.robust))) {
          best = { ruleSet, scores, robust, guarded };
        }
      }
    }
  }
  if (best === undefined || best.scores.grouped === 0) return null;
  const r = best.ruleSet;
  const reason = `${describeRule({ keyFields: [...r.keyFields], windowHours: r.windowHours, minCount: r.minCount })}, title similarity `
    + `${r.titleSimilarity}, confidence ≥ ${r.minConfidence}: best of ${candidates} candidates by its mean F1 over the two time halves `
    + `of the learn part (${best.robust.f1.toFixed(4)}; whole learn part F1 ${best.scores.f1.toFixed(4)}, P ${best.scores.precision.toFixed(4)})`
    + (best.guarded ? ` with share grouped ≤ ${GUARD_SHARE_FACTOR}× the true share` : ' (none kept the share grouped within the guard)');
  return { ruleSet: best.ruleSet, learnScores: best.scores, sweepRule: sweep.rule, sweepScores: sweep.scores, candidates, reason };
}

export interface HeldOutFigures {
  tuned: Scores;
  defaults: Scores;
  sweep: Scores;
}

export interface TuningResult {
  /** The learnt rule sets, as the `detection.ruleSets` setting writes them; empty when nothing could be learnt. */
  ruleSets: DetectionRuleSet[];
  reason: string;
  sweepRule: string | null;
  split: { learn: number; holdout: number; cutoff: string | null; undated: number; labelled: number };
  heldOut: HeldOutFigures | null;
  candidates: number;
}

/** Split, learn on the earlier part, score tuned, defaults and the sweep-chosen rule on the later part. */
export function tuneDetection(input: { tickets: readonly DetectionTicket[]; gold: ReadonlyMap<number, string>;
  defaults: readonly DetectionRuleSet[]; learnShare?: number }): TuningResult {
  const split = splitByCreateDate(withoutLinks(input.tickets), input.learnShare ?? LEARN_SHARE);
  const learnGold = goldOf(split.learn, input.gold);
  const holdoutGold = goldOf(split.holdout, input.gold);
  const splitInfo = { learn: split.learn.length, holdout: split.holdout.length, cutoff: split.cutoff, undated: split.undated, labelled: input.gold.size };
  const learned = learnRules(split.learn, learnGold);
  if (learned === null) {
    return { ruleSets: [], reason: 'no rule groups any tickets of the learn part (too few tickets or no shared key fields)',
      sweepRule: null, split: splitInfo, heldOut: null, candidates: 0 };
  }
  const heldOut: HeldOutFigures = {
    tuned: scoreRules(split.holdout, [learned.ruleSet], holdoutGold),
    defaults: scoreRules(split.holdout, input.defaults, holdoutGold),
    sweep: scoreRules(split.holdout, [fixedRuleSet(learned.sweepRule)], holdoutGold),
  };
  return { ruleSets: [learned.ruleSet], reason: learned.reason, sweepRule: describeRule(learned.sweepRule), split: splitInfo,
    heldOut, candidates: learned.candidates };
}

export interface RuleChoice {
  source: 'tuned' | 'defaults';
  ruleSets: readonly DetectionRuleSet[];
  reason: string;
}

/**
 * The configured rule sets unless a tuned set did better where it counts: a tuned set is used only when its
 * held-out pairwise precision beats the configured rules' (issue 15) — detection writes into the PSA, so a
 * tuned set that finds more but is wrong more often is not worth it.
 */
export function chooseRuleSets(configured: readonly DetectionRuleSet[], tuning: Pick<TuningResult, 'ruleSets' | 'heldOut'> & { at?: string } | null): RuleChoice {
  if (tuning === null) return { source: 'defaults', ruleSets: configured, reason: 'no tuning result stored' };
  if (tuning.ruleSets.length === 0 || tuning.heldOut === null) return { source: 'defaults', ruleSets: configured, reason: 'the last tuning learnt no rules' };
  const { tuned, defaults } = tuning.heldOut;
  const figures = `held-out precision ${tuned.precision.toFixed(3)} vs ${defaults.precision.toFixed(3)}`;
  if (tuned.precision > defaults.precision) {
    return { source: 'tuned', ruleSets: tuning.ruleSets, reason: `tuned rules${tuning.at ? ` of ${tuning.at}` : ''}: ${figures}` };
  }
  return { source: 'defaults', ruleSets: configured, reason: `tuned rules not used: ${figures} does not beat the configured rules` };
}
