import { describe, expect, it } from 'vitest';
import { scoreGrouping, type Scores } from '../../../../src/rules/detection-scoring.js';
import { chooseRuleSets, labelsFromLinks, learnRules, splitByCreateDate, tuneDetection, withoutLinks } from '../../../../src/rules/detection-tuning.js';
import type { DetectionRuleSet } from '../../../../src/rules/detection-types.js';
import { defaultRuleSets, TicketFactory } from './fixtures.js';
import { tuningPopulation } from './tuning-population.js';

describe('splitByCreateDate', () => {
  it('learns on the earlier 70% by createDate (not file order), scores on the later 30%, leaves undated tickets out', () => {
    const f = new TicketFactory();
    const tickets = [9, 3, 7, 1, 0, 5, 8, 2, 6, 4].map((d) => f.make(d)).concat([f.make(0, { createDate: null })]);
    const split = splitByCreateDate(tickets);
    expect(split.learn.map((t) => Date.parse(t.createDate!))).toEqual([0, 1, 2, 3, 4, 5, 6].map((d) => Date.parse(f.make(d).createDate!)));
    expect(split.holdout).toHaveLength(3);
    expect(split.cutoff).toBe(split.holdout[0]!.createDate);
    expect(split.undated).toBe(1);
    expect(Math.max(...split.learn.map((t) => Date.parse(t.createDate!)))).toBeLessThan(Date.parse(split.cutoff!));
  });

  it('breaks equal createDates by id, so the split is the same whatever the order of the export', () => {
    const f = new TicketFactory();
    const tickets = Array.from({ length: 10 }, () => f.make(1));
    expect(splitByCreateDate([...tickets].reverse()).learn.map((t) => t.id)).toEqual(tickets.slice(0, 7).map((t) => t.id));
  });
});

describe('labelsFromLinks', () => {
  it('puts tickets with equal problemTicketId and their Problem in one group; unlinked tickets have no label', () => {
    const f = new TicketFactory();
    const problem = f.make(0, { ticketType: 3 });
    const a = f.make(1, { problemTicketId: problem.id });
    const b = f.make(2, { problemTicketId: problem.id });
    const lone = f.make(3);
    const gold = labelsFromLinks([problem, a, b, lone]);
    expect(gold.get(a.id)).toBe(gold.get(problem.id));
    expect(gold.get(b.id)).toBe(gold.get(problem.id));
    expect(gold.has(lone.id)).toBe(false);
  });

  it('strips the links before detection sees them, so a score never reads its own answer', () => {
    const { tickets } = tuningPopulation();
    expect(withoutLinks(tickets).every((t) => t.problemTicketId === null && t.ticketType === null)).toBe(true);
  });
});

describe('learnRules / tuneDetection on a population where the right rule is known', () => {
  const { tickets, gold } = tuningPopulation();

  it('learns a short-window rule on the configuration item or the title, and it holds on the later 30%', () => {
    const learned = learnRules(withoutLinks(tickets), gold)!;
    expect(learned).not.toBeNull();
    expect(learned.ruleSet.keyFields.some((f) => f === 'configurationItemID' || f === 'title')).toBe(true);
    expect(learned.ruleSet.windowHours).toBeLessThanOrEqual(4);
    expect(learned.learnScores.precision).toBeGreaterThan(0.8);

    const result = tuneDetection({ tickets, gold, defaults: defaultRuleSets() });
    const held = result.heldOut!;
    expect(held.tuned.f1).toBeGreaterThan(0.8);
    expect(held.tuned.f1).toBeGreaterThanOrEqual(held.sweep.f1);
    expect(held.tuned.f1).toBeGreaterThan(held.defaults.f1);
    expect(held.tuned.groupedShare).toBeLessThanOrEqual(3 * held.tuned.trueShare);
    expect(result.split.learn + result.split.holdout).toBe(tickets.length);
  });

  it('learns nothing (and says so) when no key is shared', () => {
    const f = new TicketFactory();
    const lone = Array.from({ length: 20 }, (_, i) => f.make(i, { companyID: i, queueID: i, priority: i, source: i, title: `t${i}` }));
    const result = tuneDetection({ tickets: lone, gold: new Map([[lone[0]!.id, 'a'], [lone[1]!.id, 'a']]), defaults: defaultRuleSets() });
    expect(result.ruleSets).toEqual([]);
    expect(result.heldOut).toBeNull();
  });
});

describe('chooseRuleSets: a tuned rule set is used only when its held-out precision beats the configured rules\'', () => {
  const configured = defaultRuleSets();
  const tunedSets: DetectionRuleSet[] = [{ name: 'tuned', keyFields: ['title'], windowHours: 1, minCount: 2, titleSimilarity: 0, minConfidence: 0 }];
  const scores = (precision: number): Scores => ({ ...scoreGrouping([], new Map(), 0), precision });
  const tuning = (tuned: number, defaults: number) => ({ ruleSets: tunedSets, heldOut: { tuned: scores(tuned), defaults: scores(defaults), sweep: scores(0) } });

  it('uses the tuned set when it is more precise on the held-out tickets', () => {
    const choice = chooseRuleSets(configured, tuning(0.9, 0.5));
    expect(choice.source).toBe('tuned');
    expect(choice.ruleSets).toBe(tunedSets);
    expect(choice.reason).toContain('0.900 vs 0.500');
  });

  it('keeps the configured rules when the tuned set is as precise or less, or nothing was tuned', () => {
    for (const choice of [chooseRuleSets(configured, tuning(0.5, 0.5)), chooseRuleSets(configured, tuning(0.4, 0.5)), chooseRuleSets(configured, null),
      chooseRuleSets(configured, { ruleSets: [], heldOut: null })]) {
      expect(choice.source).toBe('defaults');
      expect(choice.ruleSets).toBe(configured);
      expect(choice.reason).not.toBe('');
    }
  });
});
