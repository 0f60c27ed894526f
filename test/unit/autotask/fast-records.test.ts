/**
 * The fast path for tickets and billing items (src/autotask/fast-records.ts) must give exactly what the schema
 * gives, key order included, or step aside: on any record, either it answers undefined, or the schema accepts the
 * record and outputs the same object. And where the schema refuses, the fast path never accepts.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fastRecordOf } from '../../../src/autotask/fast-records.js';
import {
  atBoolean, atDateTime, atDateTimeOrNull, atId, atIdOrNull, atNumberOrNull, atText, atTextOrEmpty, atTextOrNull,
  billingItemSchema, readableBillingItem, ticketSchema,
} from '../../../src/autotask/schemas/index.js';
import { validateRecord, validateWith } from '../../../src/autotask/validate.js';
import { generateTenant } from '../../../src/sandbox/index.js';

/** Values a field may meet in an Autotask answer, valid for some kinds and wrong for others. */
const fieldValue = fc.oneof(
  fc.constant(null),
  fc.integer({ min: -5, max: 1_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  fc.constantFrom(0, -0, 3.5, 2.5),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('with\u0000nul', '\u0000', '', 'Printer offline'),
  fc.constantFrom('2026-01-02T03:04:05.123Z', '2026-01-02T03:04:05Z', '2026-01-02T03:04:05', '2026-01-02', '2026-01-02T03:04:05+02:00',
    '2026-01-02T03:04:05.1234567', '2026-02-30T00:00:00.000Z', 'not a date', '2026-13-01T00:00:00Z'),
  fc.boolean(),
  fc.constant([1, 2]),
  fc.constant({ nested: true }),
);

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('with\u0000nul', '\u0000', ''));
const dateText = fc.constantFrom('2026-01-02T03:04:05.123Z', '2026-01-02T03:04:05Z', '2026-01-02T03:04:05', '2026-01-02',
  '2026-01-02T03:04:05+02:00', '2026-01-02T03:04:05.1234567', '2026-02-30T00:00:00.000Z');
/** A value of the right type for each building block of the schemas (what a well-formed answer holds). */
const VALID = new Map<z.ZodType, fc.Arbitrary<unknown>>([
  [atId, fc.integer({ min: 0, max: 1e9 })], [atIdOrNull, fc.option(fc.integer({ min: -3, max: 1e9 }))],
  [atNumberOrNull, fc.option(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.constant(-0)))],
  [atText, text], [atTextOrNull, fc.option(text)], [atTextOrEmpty, fc.option(text)],
  [atDateTime, dateText], [atDateTimeOrNull, fc.option(dateText)], [atBoolean, fc.boolean()],
]);

/**
 * A record of `shape`: well-formed, then up to two fields replaced by any value and some fields left out, plus a
 * few fields the schema does not name, as JSON carries it. Mostly near-valid, so both paths are really compared.
 */
function recordOf(shape: Readonly<Record<string, z.ZodType>>) {
  const names = Object.keys(shape);
  const valid = fc.record(Object.fromEntries(names.map((name) => [name, VALID.get(shape[name]!)!])) as Record<string, fc.Arbitrary<unknown>>);
  return fc.tuple(
    valid,
    fc.array(fc.tuple(fc.constantFrom(...names), fieldValue), { maxLength: 2 }),
    fc.subarray(names, { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('creatorType', 'userDefinedFields', 'unreadable', 'zeta', 'estimatedHours'), fieldValue, { maxKeys: 3 }),
    fc.boolean(),
  ).map(([record, changes, dropped, extra, extraFirst]) => {
    const named: Record<string, unknown> = { ...record };
    for (const [name, value] of changes) named[name] = value;
    for (const name of dropped) delete named[name];
    return JSON.parse(JSON.stringify(extraFirst ? { ...extra, ...named } : { ...named, ...extra })) as unknown;
  });
}

/** A record that is valid for every field, so the fast path is expected to take it. */
function validTicket() {
  return fc.record({
    id: fc.integer({ min: 0, max: 1e9 }), title: fc.string(), status: fc.option(fc.integer({ min: 1, max: 30 })),
    createDate: fc.constantFrom('2026-01-02T03:04:05.123Z', '2026-01-02T03:04:05'), description: fc.option(fc.string()),
  });
}

function sameAsSchema(fast: Record<string, unknown> | undefined, parsed: { success: boolean; data?: unknown }): void {
  if (!parsed.success) {
    expect(fast).toBeUndefined();
    return;
  }
  if (fast === undefined) return;
  expect(fast).toStrictEqual(parsed.data);
  expect(Object.keys(fast)).toEqual(Object.keys(parsed.data as object));
}

describe('the fast path for records read by the thousand', () => {
  const ticketFast = fastRecordOf(ticketSchema.shape)!;
  const readableFast = fastRecordOf(readableBillingItem.shape)!;

  afterEach(() => { vi.restoreAllMocks(); });

  it('exists for tickets and billing items, built from their schemas, and validateRecord takes it', () => {
    expect(ticketFast).not.toBeNull();
    expect(readableFast).not.toBeNull();
    // Well-formed records never reach the schema through validateRecord; an odd one does.
    const tickets = vi.spyOn(ticketSchema, 'safeParse');
    const items = vi.spyOn(billingItemSchema, 'safeParse');
    validateRecord('Tickets', { id: 1, title: 'Printer offline', createDate: '2026-01-02T03:04:05Z' });
    validateRecord('BillingItems', { id: 2, companyID: 3, itemName: 'Backup', extendedPrice: 10 });
    expect(tickets).not.toHaveBeenCalled();
    expect(items).not.toHaveBeenCalled();
    expect(() => validateRecord('Tickets', { id: 1, createDate: 'yesterday' })).toThrow(/createDate/);
    expect(tickets).toHaveBeenCalledTimes(1);
    // A shape holding something it does not know gets none.
    expect(fastRecordOf({ ...ticketSchema.shape, custom: ticketSchema })).toBeNull();
  });

  it('tickets: either the schema\'s own output, key order included, or undefined; never accepts what the schema refuses', () => {
    fc.assert(fc.property(recordOf(ticketSchema.shape), (raw) => {
      sameAsSchema(ticketFast(raw), ticketSchema.safeParse(raw));
    }), { numRuns: 3_000 });
  });

  it('billing items: the same through validateRecord, `unreadable` included', () => {
    fc.assert(fc.property(recordOf(readableBillingItem.shape), (raw) => {
      const parsed = billingItemSchema.safeParse(raw);
      let fast: Record<string, unknown> | undefined;
      try { fast = validateRecord('BillingItems', raw) as Record<string, unknown>; } catch { fast = undefined; }
      if (!parsed.success) expect(fast).toBeUndefined();
      else expect(fast).toStrictEqual(parsed.data);
      // The fast path alone never takes a record whose fields are not all readable.
      const alone = readableFast(raw);
      if (alone !== undefined) expect(parsed.success && (parsed.data as { unreadable: unknown }).unreadable === null).toBe(true);
    }), { numRuns: 3_000 });
  });

  it('takes well-formed records (so it is really used), and the result is the schema\'s', () => {
    fc.assert(fc.property(validTicket(), (ticket) => {
      const raw = JSON.parse(JSON.stringify(ticket)) as unknown;
      const fast = ticketFast(raw);
      expect(fast).toBeDefined();
      sameAsSchema(fast, ticketSchema.safeParse(raw));
    }));
    const tenant = generateTenant({ seed: 3, now: new Date('2026-12-06T00:00:00Z'), tickets: 200, billingItems: 200 });
    expect(tenant.records.Tickets?.length).toBe(200);
    for (const record of tenant.records.Tickets ?? []) expect(ticketFast(JSON.parse(JSON.stringify(record)))).toBeDefined();
    for (const record of tenant.records.BillingItems ?? []) expect(readableFast(JSON.parse(JSON.stringify(record)))).toBeDefined();
  });

  it('leaves odd records to the schema, whose error still names the field', () => {
    const bad = { id: 7, title: 'x', createDate: 'yesterday' };
    expect(ticketFast(bad)).toBeUndefined();
    expect(() => validateRecord('Tickets', bad)).toThrow(/createDate/);
    expect(() => validateWith(ticketSchema, 'Tickets', bad)).toThrow(/createDate/);
    expect(ticketFast(JSON.parse('{"id":1,"title":"t","__proto__":{"x":1}}'))).toBeUndefined();
    expect(ticketFast([{ id: 1 }])).toBeUndefined();
    expect(ticketFast(Object.create({ id: 1 }))).toBeUndefined();
  });
});
