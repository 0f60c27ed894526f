/**
 * Clustering inside one key bucket (tickets that share every key field), oldest first. A ticket joins the most
 * similar open Problem of the bucket (an anchor: it never expires, since the Problem is still being worked) or
 * the most similar chain whose last ticket is within the window; otherwise it starts a chain. Work per ticket is
 * bounded by the anchors of its key and at most MAX_ACTIVE_CHAINS chains — never all pairs.
 */
import type { DetectionRuleSet } from './detection-types.js';
import type { TicketRecord } from './detection-ticket.js';
import { memberSimilarity, type TitleTokenCache, type TitleTokens } from './title-similarity.js';

/** Chains open at once in one bucket; beyond it the stalest chain is closed early (bounds time and memory). */
export const MAX_ACTIVE_CHAINS = 64;
/** Titles a chain or anchor keeps for comparison: the first few and the most recent few. */
const FIRST_REPS = 3;
const RECENT_REPS = 3;

/** Representative titles of a chain or anchor; bounded so comparisons stay cheap as groups grow. */
export class TitleReps {
  private readonly first: TitleTokens[] = [];
  private readonly recent: TitleTokens[] = [];

  add(tokens: TitleTokens): void {
    if (this.first.length < FIRST_REPS) this.first.push(tokens);
    else {
      this.recent.push(tokens);
      if (this.recent.length > RECENT_REPS) this.recent.shift();
    }
  }

  get size(): number {
    return this.first.length + this.recent.length;
  }

  bestSimilarity(tokens: TitleTokens, requireSharedHost: boolean): number {
    let best = 0;
    for (const list of [this.first, this.recent]) {
      for (const rep of list) {
        // The same title is the same cached object: equal, unless a shared host is required and absent.
        const s = memberSimilarity(rep, tokens, { requireSharedHost });
        if (s > best) best = s;
        if (best >= 1) return best;
      }
    }
    return best;
  }
}

/** An open Problem's presence in this bucket (problem-anchors.ts decides what may join it). */
export interface BucketAnchor {
  readonly problemId: number;
  /** How well a ticket of this bucket matches the Problem, 0..1; below the rule set's threshold it may not join. */
  score(tokens: TitleTokens, compareTitles: boolean): number;
  /** Called when a ticket of this bucket joins the Problem. */
  readonly accept: (record: TicketRecord, score: number) => void;
}

export interface Chain {
  readonly members: TicketRecord[];
  readonly reps: TitleReps;
  lastTime: number;
  /** Title tokens of the earliest member: the group's signature. */
  readonly seed: TitleTokens;
  /** Out of the window or evicted: it takes no more tickets. */
  closed: boolean;
}

export interface BucketInput {
  readonly records: readonly TicketRecord[];
  readonly anchors: readonly BucketAnchor[];
  readonly tokens: TitleTokenCache;
  readonly ruleSet: DetectionRuleSet;
  /** Receives every chain once it can grow no more (the caller applies minCount). */
  readonly closeChain: (chain: Chain) => void;
}

/** Clusters one bucket. `records` must be sorted by create time, then id, and all have a time. */
export function clusterBucket({ records, anchors, tokens: cache, ruleSet, closeChain }: BucketInput): void {
  const windowMs = ruleSet.windowHours * 3_600_000;
  const requireSharedHost = ruleSet.requireSharedHost === true;
  const compareTitles = ruleSet.titleSimilarity > 0 || requireSharedHost;
  const threshold = ruleSet.titleSimilarity;
  let active: Chain[] = [];
  let oldestLast = Infinity;
  // The live chain that last took each title (titles are cached objects, so identity is equality).
  const lastChainOf = new Map<TitleTokens, Chain>();
  const close = (chain: Chain): void => {
    chain.closed = true;
    closeChain(chain);
  };

  for (const record of records) {
    const time = record.time ?? 0;
    if (time - oldestLast > windowMs) {
      const still: Chain[] = [];
      oldestLast = Infinity;
      for (const chain of active) {
        if (time - chain.lastTime > windowMs) close(chain);
        else {
          still.push(chain);
          if (chain.lastTime < oldestLast) oldestLast = chain.lastTime;
        }
      }
      active = still;
    }
    const tokens = cache.of(record.ticket.title);
    // A ticket without a title cannot look like anything; with the title check on it stays alone.
    if (compareTitles && tokens.tokens.size === 0) continue;

    // Anchors first and ties go to the earlier candidate: an open Problem wins over a chain that looks alike.
    // Nothing beats a score of 1, so the search stops there; a title seen in a live chain scores 1 at once.
    let bestScore = -1;
    let bestAnchor: BucketAnchor | null = null;
    let bestChain: Chain | null = null;
    for (const anchor of anchors) {
      const s = anchor.score(tokens, compareTitles);
      if (s > 0 && s >= threshold && s > bestScore) { bestScore = s; bestAnchor = anchor; }
      if (bestScore >= 1) break;
    }
    const seen = compareTitles && bestScore < 1 ? lastChainOf.get(tokens) : undefined;
    if (seen !== undefined && !seen.closed && (!requireSharedHost || tokens.hosts.size > 0)) {
      bestScore = 1; bestChain = seen; bestAnchor = null;
    }
    for (let c = 0; c < active.length && bestScore < 1; c += 1) {
      const chain = active[c]!;
      const s = compareTitles ? chain.reps.bestSimilarity(tokens, requireSharedHost) : 1;
      if (s >= threshold && s > bestScore) { bestScore = s; bestChain = chain; bestAnchor = null; }
    }

    if (bestAnchor) {
      bestAnchor.accept(record, bestScore);
    } else if (bestChain) {
      bestChain.members.push(record);
      bestChain.lastTime = time;
      if (compareTitles) bestChain.reps.add(tokens);
      lastChainOf.set(tokens, bestChain);
    } else {
      if (active.length >= MAX_ACTIVE_CHAINS) {
        let stalest = 0;
        for (let i = 1; i < active.length; i += 1) if (active[i]!.lastTime < active[stalest]!.lastTime) stalest = i;
        close(active[stalest]!);
        active.splice(stalest, 1);
        oldestLast = Infinity;
        for (const chain of active) if (chain.lastTime < oldestLast) oldestLast = chain.lastTime;
      }
      const reps = new TitleReps();
      if (compareTitles) reps.add(tokens);
      const chain: Chain = { members: [record], reps, lastTime: time, seed: tokens, closed: false };
      active.push(chain);
      lastChainOf.set(tokens, chain);
      if (time < oldestLast) oldestLast = time;
    }
  }
  for (const chain of active) close(chain);
}
