import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pauseStopwatch, resumeStopwatch, startStopwatch, stopStopwatch, workedSeconds } from '../../../../src/rules/stopwatch.js';
import type { Stopwatch, StopwatchResult } from '../../../../src/rules/stopwatch.js';

type Op = 'pause' | 'resume' | 'stop';
const opArb = fc.constantFrom<Op>('pause', 'resume', 'stop');
/** Steps forward in time, in ms (sub-second amounts included so flooring is exercised). */
const stepArb = fc.record({ op: opArb, dt: fc.integer({ min: 0, max: 3_600_000 }) });
const T0 = Date.parse('2026-01-31T23:00:00.000Z');

function apply(sw: Stopwatch, op: Op, now: Date): StopwatchResult {
  if (op === 'pause') return pauseStopwatch(sw, now);
  if (op === 'resume') return resumeStopwatch(sw, now);
  return stopStopwatch(sw, now);
}

function assertIntervalsOrdered(sw: Stopwatch): void {
  let previousEnd = -Infinity;
  sw.intervals.forEach((interval, index) => {
    const start = Date.parse(interval.start);
    expect(start).toBeGreaterThanOrEqual(previousEnd);
    if (interval.end === null) {
      expect(index).toBe(sw.intervals.length - 1);
      previousEnd = start;
    } else {
      expect(Date.parse(interval.end)).toBeGreaterThanOrEqual(start);
      previousEnd = Date.parse(interval.end);
    }
  });
  expect(sw.intervals.filter((i) => i.end === null)).toHaveLength(sw.state === 'running' ? 1 : 0);
}

function started(): Stopwatch {
  const result = startStopwatch({ id: 'p', ticketId: 1, resourceId: 1 }, new Date(T0));
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

describe('stopwatch arithmetic (properties)', () => {
  it('workedSeconds is the floored sum of the time spent running, with no interval counted twice', () => {
    fc.assert(fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
      let sw = started();
      let now = T0;
      let runningMs = 0; // the model: time the stopwatch was actually running
      for (const { op, dt } of steps) {
        if (sw.state === 'running') runningMs += dt;
        now += dt;
        const before = sw;
        const result = apply(sw, op, new Date(now));
        if (result.ok) sw = result.value;
        else expect(sw).toBe(before);
        assertIntervalsOrdered(sw);
        expect(workedSeconds(sw, new Date(now))).toBe(Math.floor(runningMs / 1000));
        if (sw.state === 'stopped') break;
      }
    }), { numRuns: 500 });
  });

  it('is monotonic non-decreasing while running and constant while paused or stopped', () => {
    fc.assert(fc.property(fc.array(stepArb, { maxLength: 20 }), fc.array(fc.integer({ min: 0, max: 7_200_000 }), { minLength: 2, maxLength: 8 }),
      (steps, probes) => {
        let sw = started();
        let now = T0;
        for (const { op, dt } of steps) {
          now += dt;
          const result = apply(sw, op, new Date(now));
          if (result.ok) sw = result.value;
        }
        const times = probes.map((p) => now + p).sort((a, b) => a - b);
        const values = times.map((time) => workedSeconds(sw, new Date(time)));
        for (let i = 1; i < values.length; i += 1) {
          const previous = values[i - 1] ?? 0;
          if (sw.state === 'running') expect(values[i]).toBeGreaterThanOrEqual(previous);
          else expect(values[i]).toBe(previous);
        }
      }), { numRuns: 300 });
  });

  it('never goes negative nor overlaps when clocks jump backwards, and never exceeds the time elapsed', () => {
    const jumpyStep = fc.record({ op: opArb, dt: fc.integer({ min: -3_600_000, max: 3_600_000 }) });
    fc.assert(fc.property(fc.array(jumpyStep, { maxLength: 40 }), fc.integer({ min: -7_200_000, max: 7_200_000 }), (steps, probe) => {
      let sw = started();
      let now = T0;
      let latest = T0;
      for (const { op, dt } of steps) {
        now += dt;
        latest = Math.max(latest, now);
        const result = apply(sw, op, new Date(now));
        if (result.ok) sw = result.value;
        assertIntervalsOrdered(sw);
        const seconds = workedSeconds(sw, new Date(now + probe));
        expect(seconds).toBeGreaterThanOrEqual(0);
        expect(seconds).toBeLessThanOrEqual(Math.max(0, Math.floor((Math.max(latest, now + probe) - T0) / 1000)));
      }
    }), { numRuns: 500 });
  });
});
