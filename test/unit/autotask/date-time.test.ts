/**
 * normaliseDateTime's shortcut for values already in the normal form must give exactly what parsing and printing
 * gives (src/autotask/schemas/common.ts): the same string for a real moment, the rolled-over or null answer otherwise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseDateTime } from '../../../src/autotask/schemas/common.js';

/** The full path alone: what normaliseDateTime answered before the shortcut. */
function reference(value: string): string | null {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const date = new Date(hasZone || value.length <= 10 ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

describe('normaliseDateTime', () => {
  it('agrees with parsing and printing on every normal-form string, real moment or not', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }),
      fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 999 }),
      (y, mo, d, h, mi, s, ms) => {
        const value = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`;
        expect(normaliseDateTime(value)).toBe(reference(value));
      }), { numRuns: 20_000 });
  });

  it('agrees on the edges: leap days, month ends, 24:00, and other forms', () => {
    for (const value of ['2024-02-29T10:00:00.000Z', '2023-02-29T10:00:00.000Z', '2000-02-29T00:00:00.000Z', '1900-02-29T00:00:00.000Z',
      '2026-04-31T00:00:00.000Z', '2026-12-31T23:59:59.999Z', '2026-01-01T24:00:00.000Z', '2026-01-01T23:59:60.000Z',
      '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.1234567Z', '2026-01-01T00:00:00.000+02:00', '2026-01-01T00:00:00.000',
      '2026-01-01', 'x026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000z', '']) {
      expect(normaliseDateTime(value), value).toBe(reference(value));
    }
  });
});
