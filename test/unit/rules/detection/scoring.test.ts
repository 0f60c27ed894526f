import { describe, expect, it } from 'vitest';
import { scoreGrouping } from './scoring.js';

describe('scoreGrouping (the UCI README definition)', () => {
  const gold = new Map<number, string>([[1, 'A'], [2, 'A'], [3, 'A'], [4, 'B'], [5, 'B'], [6, 'C']]);

  it('scores the gold grouping 1.0 and ignores unlabelled tickets', () => {
    const s = scoreGrouping([[1, 2, 3, 100, 101], [4, 5, 102], [6]], gold);
    expect([s.precision, s.recall, s.f1, s.bcubedF1]).toEqual([1, 1, 1, 1]);
    expect(s.goldPairs).toBe(4);
    expect(s.bcubedTickets).toBe(5);
  });

  it('counts pairs: one group of everything', () => {
    const s = scoreGrouping([[1, 2, 3, 4, 5, 6]], gold);
    expect(s.predictedPairs).toBe(15);
    expect(s.correctPairs).toBe(4);
    expect(s.precision).toBeCloseTo(4 / 15);
    expect(s.recall).toBe(1);
    // B-cubed over tickets of gold groups ≥ 2: precision 3/6 for A's, 2/6 for B's.
    expect(s.bcubedPrecision).toBeCloseTo((3 * 0.5 + 2 * (2 / 6)) / 5);
    expect(s.bcubedRecall).toBe(1);
  });

  it('scores an empty grouping 0 with per-ticket singletons in B-cubed', () => {
    const s = scoreGrouping([], gold);
    expect([s.precision, s.recall, s.f1]).toEqual([0, 0, 0]);
    expect(s.bcubedPrecision).toBe(1);
    expect(s.bcubedRecall).toBeCloseTo((3 * (1 / 3) + 2 * 0.5) / 5);
  });
});
