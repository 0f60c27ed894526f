import { describe, expect, it } from 'vitest';
import { scoreGrouping } from '../../../../src/rules/detection-scoring.js';

describe('scoreGrouping over the whole population (issue 15)', () => {
  // Tickets 1..6 labelled, 100..102 never linked to a problem: each is a group of its own in the truth.
  const gold = new Map<number, string>([[1, 'A'], [2, 'A'], [3, 'A'], [4, 'B'], [5, 'B'], [6, 'C']]);
  const population = 9;

  it('scores the gold grouping 1.0', () => {
    const s = scoreGrouping([[1, 2, 3], [4, 5], [6]], gold, population);
    expect([s.precision, s.recall, s.f1, s.bcubedF1, s.linkPrecision]).toEqual([1, 1, 1, 1, 1]);
    expect(s.goldPairs).toBe(4);
    expect(s.bcubedTickets).toBe(5);
    expect(s.groupedShare).toBeCloseTo(5 / 9);
    expect(s.trueShare).toBeCloseTo(5 / 9);
  });

  it('charges grouping unlabelled tickets: they belong to no problem', () => {
    const s = scoreGrouping([[1, 2, 3, 100, 101], [4, 5, 102], [6]], gold, population);
    expect(s.predictedPairs).toBe(10 + 3);
    expect(s.correctPairs).toBe(4);
    expect(s.precision).toBeCloseTo(4 / 13);
    expect(s.recall).toBe(1);
    expect(s.grouped).toBe(8);
    expect(s.linkPrecision).toBeCloseTo(5 / 8);
    // B-cubed over A's and B's: precision 3/5 for A's, 2/3 for B's.
    expect(s.bcubedPrecision).toBeCloseTo((3 * (3 / 5) + 2 * (2 / 3)) / 5);
    expect(s.bcubedRecall).toBe(1);
  });

  it('scores an empty grouping 0 with per-ticket singletons in B-cubed', () => {
    const s = scoreGrouping([], gold, population);
    expect([s.precision, s.recall, s.f1, s.groupedShare, s.linkPrecision]).toEqual([0, 0, 0, 0, 0]);
    expect(s.bcubedPrecision).toBe(1);
    expect(s.bcubedRecall).toBeCloseTo((3 * (1 / 3) + 2 * 0.5) / 5);
  });
});
