import { describe, expect, it } from 'vitest';
import { mapInSlices, yieldToEventLoop } from '../../../src/lib/slices.js';

/**
 * docs/many-tenants.md#event-loop: long synchronous work runs in slices, and between two slices the event loop
 * turns (a setImmediate queued meanwhile runs), so the other jobs of a worker process are not held up.
 */
describe('mapInSlices', () => {
  it('maps like Array.prototype.map, index included, whatever the slice size', async () => {
    const items = Array.from({ length: 23 }, (_, i) => i * 3);
    for (const size of [1, 4, 10, 23, 100]) {
      expect(await mapInSlices(items, (value, index) => `${index}:${value}`, size)).toEqual(items.map((value, index) => `${index}:${value}`));
    }
    expect(await mapInSlices([], (value: number) => value, 5)).toEqual([]);
  });

  it('lets the event loop turn between two slices, and only there', async () => {
    const trace: string[] = [];
    const items = Array.from({ length: 10 }, (_, i) => i);
    // A callback waiting for the loop (as an I/O answer would) is queued before the work starts.
    let turns = 0;
    const tick = (): void => { trace.push(`turn ${turns += 1}`); if (turns < 20) setImmediate(tick); };
    setImmediate(tick);
    await mapInSlices(items, (value) => { trace.push(`item ${value}`); }, 4);
    const positions = trace.map((entry, index) => [entry, index] as const).filter(([entry]) => entry.startsWith('turn')).map(([, index]) => index);
    // The slices are items 0–3, 4–7, 8–9: the loop turned between them, never inside one.
    const itemsOnly = trace.filter((entry) => entry.startsWith('item'));
    expect(itemsOnly).toEqual(items.map((i) => `item ${i}`));
    const between = (before: string, after: string): boolean => positions.some((p) => p > trace.indexOf(before) && p < trace.indexOf(after));
    expect(between('item 3', 'item 4')).toBe(true);
    expect(between('item 7', 'item 8')).toBe(true);
    for (const [a, b] of [[0, 1], [1, 2], [2, 3], [4, 5], [5, 6], [6, 7], [8, 9]] as const) expect(between(`item ${a}`, `item ${b}`)).toBe(false);
    // Not before the first slice: a list of one slice runs without waiting for the loop.
    expect(trace.indexOf('item 0')).toBeLessThan(trace.indexOf('turn 1'));
    await yieldToEventLoop();
  });

  it('is all or nothing: an error in a later slice rejects, and the slices after it do not run', async () => {
    const seen: number[] = [];
    await expect(mapInSlices([1, 2, 3, 4, 5], (value) => { seen.push(value); if (value === 3) throw new Error('bad 3'); return value; }, 2))
      .rejects.toThrow('bad 3');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('refuses a slice size that is not a positive integer', async () => {
    await expect(mapInSlices([1], (v) => v, 0)).rejects.toThrow(RangeError);
    await expect(mapInSlices([1], (v) => v, 1.5)).rejects.toThrow(RangeError);
  });
});

describe('yieldToEventLoop across concurrent sliced work', () => {
  it('runs one slice per turn of the loop, whoever it belongs to, so an I/O callback waits for one slice at most', async () => {
    const trace: string[] = [];
    let turns = 0;
    let ticking = true;
    // Stands for another job's I/O: a callback that is due on every turn of the loop.
    const tick = (): void => { trace.push(`turn ${turns += 1}`); if (ticking) setImmediate(tick); };
    setImmediate(tick);
    const stream = (name: string) => mapInSlices([1, 2, 3, 4, 5, 6], (value) => { trace.push(`${name}${value}`); }, 2);
    await Promise.all([stream('a'), stream('b'), stream('c')]);
    ticking = false;
    // The first slice of each stream runs at once; every later slice starts a turn of its own.
    const slices = trace.filter((entry) => !entry.startsWith('turn') && Number(entry.slice(1)) % 2 === 1 && entry.slice(1) !== '1');
    expect(slices).toHaveLength(6);
    for (let i = 1; i < slices.length; i += 1) {
      const between = trace.slice(trace.indexOf(slices[i - 1]!), trace.indexOf(slices[i]!));
      expect(between.some((entry) => entry.startsWith('turn'))).toBe(true);
    }
  });
});
