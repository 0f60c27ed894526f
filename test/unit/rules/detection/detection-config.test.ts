import { describe, expect, it } from 'vitest';
import { DEFAULT_RULE_SETS, detectionSection } from '../../../../config/sections/detection.js';
import { fileSchema } from '../../../../config/schema.js';

describe('detection config section', () => {
  it('applies the default rule sets when the file lists none, as fresh copies', () => {
    const a = fileSchema.parse({}).detection;
    expect(a.ruleSets.map((r) => r.name)).toEqual(DEFAULT_RULE_SETS.map((r) => r.name));
    expect(a.ruleSets[0]).toMatchObject({ keyFields: ['companyID', 'configurationItemID'], titleSimilarity: 0.6,
      windowHours: 168, minCount: 3, minConfidence: 0.5, requireSharedHost: false, filters: {} });
    expect(a.ruleSets[1]).toMatchObject({ keyFields: ['companyID'], requireSharedHost: true, filters: { source: [8] } });
    a.ruleSets[0]!.minCount = 99;
    expect(detectionSection.parse({}).ruleSets[0]!.minCount).toBe(3);
  });

  it('fills omitted rule-set fields with their defaults and keeps an explicit empty list', () => {
    const parsed = detectionSection.parse({ ruleSets: [{ name: 'queue', keyFields: ['queueID'] }] });
    expect(parsed.ruleSets).toEqual([{ name: 'queue', keyFields: ['queueID'], titleSimilarity: 0.6,
      requireSharedHost: false, filters: {}, windowHours: 168, minCount: 3, minConfidence: 0.5 }]);
    expect(detectionSection.parse({ ruleSets: [] }).ruleSets).toEqual([]);
  });

  it('names the bad field', () => {
    const paths = (raw: unknown): string[] =>
      detectionSection.safeParse(raw).error!.issues.map((i) => i.path.join('.'));
    expect(paths({ ruleSets: [{ name: 'x', keyFields: ['color'] }] })).toEqual(['ruleSets.0.keyFields.0']);
    expect(paths({ ruleSets: [{ name: 'x', minCount: 1 }] })).toEqual(['ruleSets.0.minCount']);
    expect(paths({ ruleSets: [{ name: 'x', filters: { queue: [1] } }] })).toEqual(['ruleSets.0.filters']);
    expect(paths({ ruleSets: [{ name: 'x' }, { name: 'x' }] })).toEqual(['ruleSets']);
    expect(paths({ ruleSets: [{ name: 'x', keyFields: ['title', 'title'] }] })).toEqual(['ruleSets.0.keyFields']);
  });
});
