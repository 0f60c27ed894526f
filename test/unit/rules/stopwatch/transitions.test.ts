import { describe, expect, it } from 'vitest';
import {
  pauseStopwatch, resumeStopwatch, startStopwatch, stopStopwatch, stopwatchEntry, workedSeconds,
} from '../../../../src/rules/stopwatch.js';
import type { Stopwatch, StopwatchResult } from '../../../../src/rules/stopwatch.js';

const t0 = new Date('2026-03-02T09:00:00.000Z');
const at = (seconds: number): Date => new Date(t0.getTime() + seconds * 1000);

function ok<T extends Stopwatch>(result: StopwatchResult<T>): T {
  if (!result.ok) throw new Error(`refused: ${result.code} ${result.reason}`);
  return result.value;
}

const started = (): Stopwatch => ok(startStopwatch({ id: 'sw-1', ticketId: 12, resourceId: 30, summaryNotes: '  ' }, t0));

describe('stopwatch transitions', () => {
  it('starts running with one open interval and empty notes as null', () => {
    const sw = started();
    expect(sw).toMatchObject({ state: 'running', roleId: null, summaryNotes: null, internalNotes: null,
      startedAt: t0.toISOString(), stoppedAt: null, intervals: [{ start: t0.toISOString(), end: null }] });
    expect(workedSeconds(sw, at(90.9))).toBe(90);
  });

  it.each([
    [{ id: '', ticketId: 1, resourceId: 1 }, /id/],
    [{ id: 'x', ticketId: 0, resourceId: 1 }, /ticketId/],
    [{ id: 'x', ticketId: 1, resourceId: 1.5 }, /resourceId/],
    [{ id: 'x', ticketId: 1, resourceId: 1, roleId: -2 }, /roleId/],
  ])('refuses a bad start %o', (input, field) => {
    const result = startStopwatch(input, t0);
    expect(result).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(!result.ok && result.reason).toMatch(field);
  });

  it('refuses an invalid now', () => {
    expect(startStopwatch({ id: 'x', ticketId: 1, resourceId: 1 }, new Date('nope'))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect(pauseStopwatch(started(), new Date(Number.NaN))).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
  });

  it('pause → resume → stop sums only the running intervals', () => {
    const paused = ok(pauseStopwatch(started(), at(600)));
    expect(paused.state).toBe('paused');
    expect(workedSeconds(paused, at(5000))).toBe(600);
    const resumed = ok(resumeStopwatch(paused, at(1200)));
    expect(resumed.intervals).toHaveLength(2);
    expect(workedSeconds(resumed, at(1500))).toBe(900);
    const stopped = ok(stopStopwatch(resumed, at(1800), { summaryNotes: 'Fixed the printer', internalNotes: '' }));
    expect(stopped).toMatchObject({ state: 'stopped', stoppedAt: at(1800).toISOString(), summaryNotes: 'Fixed the printer',
      internalNotes: null });
    expect(workedSeconds(stopped, at(99_999))).toBe(1200);
  });

  it.each([
    ['pause when paused', (sw: Stopwatch) => pauseStopwatch(ok(pauseStopwatch(sw, at(1))), at(2)), 'ALREADY_PAUSED'],
    ['resume when running', (sw: Stopwatch) => resumeStopwatch(sw, at(1)), 'ALREADY_RUNNING'],
    ['stop when stopped', (sw: Stopwatch) => stopStopwatch(ok(stopStopwatch(sw, at(1))), at(2)), 'ALREADY_STOPPED'],
    ['pause when stopped', (sw: Stopwatch) => pauseStopwatch(ok(stopStopwatch(sw, at(1))), at(2)), 'ALREADY_STOPPED'],
    ['resume when stopped', (sw: Stopwatch) => resumeStopwatch(ok(stopStopwatch(sw, at(1))), at(2)), 'ALREADY_STOPPED'],
  ])('refuses %s with a typed code', (_name, run, code) => {
    expect(run(started())).toMatchObject({ ok: false, code });
  });

  it('a stop from paused keeps the paused total and the start notes when none are given', () => {
    const sw = ok(startStopwatch({ id: 'sw-2', ticketId: 1, resourceId: 2, summaryNotes: 'from start' }, t0));
    const stopped = ok(stopStopwatch(ok(pauseStopwatch(sw, at(300))), at(4000)));
    expect(stopped.summaryNotes).toBe('from start');
    expect(stopped.intervals).toEqual([{ start: t0.toISOString(), end: at(300).toISOString() }]);
    expect(workedSeconds(stopped, at(10_000))).toBe(300);
  });

  it('a clock that went backwards counts 0 for that interval and never overlaps', () => {
    const paused = ok(pauseStopwatch(started(), at(-30)));
    expect(paused.intervals[0]).toEqual({ start: t0.toISOString(), end: t0.toISOString() });
    expect(workedSeconds(paused, at(100))).toBe(0);
    const resumed = ok(resumeStopwatch(ok(pauseStopwatch(ok(resumeStopwatch(paused, at(60))), at(120))), at(90)));
    // resume at 90 after a pause at 120: the new interval starts at 120, not before it
    expect(resumed.intervals[2]?.start).toBe(at(120).toISOString());
    expect(workedSeconds(resumed, at(150))).toBe(60 + 30);
    expect(workedSeconds(started(), at(-500))).toBe(0);
  });

  it('preserves extra fields of the stored record through transitions', () => {
    const stored = { ...started(), timeEntryId: null as number | null, pushError: 'x' };
    const paused = ok(pauseStopwatch(stored, at(5)));
    expect(paused.pushError).toBe('x');
  });

  it('turns a stopped stopwatch into a push-time-entries entry keyed by its id', () => {
    const running = started();
    expect(stopwatchEntry(running)).toBeNull();
    const stopped = ok(stopStopwatch(ok(resumeStopwatch(ok(pauseStopwatch(running, at(600))), at(900))), at(1500)));
    expect(stopwatchEntry(stopped)).toEqual({
      key: 'sw-1', ticketId: 12, resourceId: 30, roleId: null,
      startDateTime: t0.toISOString(), endDateTime: at(1500).toISOString(), workedSeconds: 1200,
      summaryNotes: '', internalNotes: null,
    });
  });
});
