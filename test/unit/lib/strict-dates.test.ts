/** Issue 14 item 9: impossible dates are refused, never shifted into the next month. */
import { describe, expect, it } from 'vitest';
import { parseUtc } from '../../../src/lib/time.js';
import { timeEntryInputSchema } from '../../../src/rules/time-entry-input.js';

describe('parseUtc is strict', () => {
  it.each(['2026-02-30T10:00Z', '2026-02-29T10:00:00Z', '2026-13-01T00:00:00Z', '2026-04-31', '2026-01-01T24:00:00Z', '2026-01-01T10:60:00Z', 'March 3 2026'])(
    'refuses %s', (value) => { expect(() => parseUtc(value)).toThrow(RangeError); });
  it.each([['2028-02-29T10:00Z', '2028-02-29T10:00:00.000Z'], ['2026-03-02T09:00:00', '2026-03-02T09:00:00.000Z'],
    ['2026-03-02T09:00:00.250+02:00', '2026-03-02T07:00:00.250Z'], ['2026-03-02', '2026-03-02T00:00:00.000Z']])(
    'accepts %s', (value, iso) => { expect(parseUtc(value).toISOString()).toBe(iso); });
  it('a time entry starting on 30 February is refused, not booked on 2 March', () => {
    const result = timeEntryInputSchema.safeParse({ key: 'k', ticketId: 1, resourceId: 2, startDateTime: '2026-02-30T10:00Z',
      endDateTime: '2026-03-02T11:00Z' });
    expect(result.success).toBe(false);
  });
});
