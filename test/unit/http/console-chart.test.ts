/** The overview's 24 h budget chart (src/http/console/charts.ts): inline SVG, one bar per hour, throttled hours marked. */
import { describe, expect, it } from 'vitest';
import { budgetChart } from '../../../src/http/console/charts.js';

const hours = Array.from({ length: 25 }, (_, i) => ({ hour: new Date(Date.UTC(2026, 11, 5, 8 + i)).toISOString(),
  requests: i === 24 ? 400 : i === 10 ? 100 : 0, throttled429: i === 24 ? 2 : 0, budgetHeld: i === 3 ? 1 : 0, slotWaits: 0 }));

describe('budgetChart', () => {
  it('draws one bar per hour scaled to the busiest, and marks the hours with 429s or budget holds', () => {
    const svg = budgetChart(hours, 5000).value;
    expect(svg.match(/<g class="hour"/g)).toHaveLength(25);
    expect(svg.match(/class="throttled"/g)).toHaveLength(2);
    const height = (hour: number) => Number(new RegExp(`data-hour="${hours[hour]!.hour}"[^]*?<rect [^>]*height="(\\d+)"`).exec(svg)?.[1]);
    expect(height(24)).toBe(40);
    expect(height(10)).toBe(10);
    expect(height(0)).toBe(0);
    // A ceiling far above every hour would flatten the bars: it is left out of the scale and not drawn.
    expect(svg).not.toContain('class="ceiling"');
    expect(svg).toContain('peak 400');
    expect(svg).toContain('2026-12-06 08:00 UTC: 400 requests, 2 answered 429, 0 held for budget, 0 waited for a slot');
  });

  it('draws the ceiling when an hour came near it', () => {
    expect(budgetChart(hours, 450).value).toMatch(/<line class="ceiling" x1="0" x2="250" y1="4" y2="4"/);
  });

  it('says so when there is no history', () => {
    expect(budgetChart([], null).value).toContain('no history');
  });
});
