/** The governor's hourly history as read (src/autotask/governor-history.ts): one entry per kept hour, oldest first. */
import { describe, expect, it } from 'vitest';
import { HISTORY_HOURS, hourlyHistory, totals } from '../../../src/autotask/governor-history.js';

const HOUR = 3_600_000;
const now = Date.parse('2026-12-06T08:20:00Z');
const current = Math.floor(now / HOUR);

describe('hourlyHistory', () => {
  it('lists every kept hour with zeros where nothing was counted, the current (partial) hour last', () => {
    const hours = hourlyHistory({}, now);
    expect(hours).toHaveLength(HISTORY_HOURS);
    expect(hours.at(-1)).toEqual({ hour: '2026-12-06T08:00:00.000Z', requests: 0, throttled429: 0, budgetHeld: 0, slotWaits: 0 });
    expect(hours[0]!.hour).toBe('2026-12-05T08:00:00.000Z');
  });

  it('places each kind in its hour and ignores hours out of range and foreign fields', () => {
    const hours = hourlyHistory({ [`r:${current}`]: '12', [`q:${current}`]: 3, [`b:${current - 1}`]: '2', [`w:${current - 24}`]: '5',
      [`r:${current - 25}`]: '99', [`r:${current + 1}`]: '98', [`x:${current}`]: '1', nonsense: '4', [`r:${current - 2}`]: 'NaN' }, now);
    expect(hours.at(-1)).toMatchObject({ requests: 12, throttled429: 3, budgetHeld: 0, slotWaits: 0 });
    expect(hours.at(-2)).toMatchObject({ budgetHeld: 2 });
    expect(hours[0]).toMatchObject({ slotWaits: 5 });
    expect(totals(hours)).toEqual({ requests: 12, throttled429: 3, budgetHeld: 2, slotWaits: 5 });
    expect(totals(hours.slice(-1))).toEqual({ requests: 12, throttled429: 3, budgetHeld: 0, slotWaits: 0 });
  });
});
