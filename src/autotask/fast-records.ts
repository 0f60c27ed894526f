/**
 * A fast path for the records a pull reads by the thousand (tickets, billing items; docs/many-tenants.md#fast-path).
 * Zod spends 6–15 µs on one ticket and allocates for every field; a first full read of 20,000 tickets and 20,000
 * billing items held a worker's event loop with that work for a quarter of its busy time, and every other tenant's
 * job in the process waited behind it.
 *
 * The fast path does what the entity schema does, field by field, with the same helpers (normaliseDateTime,
 * stripNul) — and only when every field is of the expected type. Anything else (a wrong type, a missing id, a bad
 * date, a record that is not a plain object) answers `undefined`, and the schema validates the record as before,
 * with its own error naming the field. So the output is the schema's output or the schema runs:
 * `test/unit/autotask/fast-records.test.ts` checks that on generated records, key order included.
 *
 * It is built from the schema's own shape: each field's schema must be one of the building blocks of
 * schemas/common.ts; a shape holding anything else gets no fast path.
 */
import type { z } from 'zod';
import {
  atBoolean, atDateTime, atDateTimeOrNull, atId, atIdOrNull, atNumberOrNull, atText, atTextOrEmpty, atTextOrNull,
  normaliseDateTime, stripNul,
} from './schemas/common.js';

/** What a field may hold: the value to store, or FAIL (the schema decides). */
const FAIL = Symbol('fail');
type Field = (value: unknown) => unknown;

const absent = (value: unknown): boolean => value === null || value === undefined;
const id: Field = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : FAIL);
const idOrNull: Field = (v) => (absent(v) ? null : typeof v === 'number' && Number.isInteger(v) ? v : FAIL);
const numberOrNull: Field = (v) => (absent(v) ? null : typeof v === 'number' && Number.isFinite(v) ? v : FAIL);
const text: Field = (v) => (typeof v === 'string' ? stripNul(v) : FAIL);
const textOrNull: Field = (v) => (absent(v) ? null : text(v));
const textOrEmpty: Field = (v) => (absent(v) ? '' : text(v));
const dateTime: Field = (v) => (typeof v === 'string' ? normaliseDateTime(v) ?? FAIL : FAIL);
const dateTimeOrNull: Field = (v) => (absent(v) ? null : dateTime(v));
const boolean: Field = (v) => (typeof v === 'boolean' ? v : FAIL);

const FIELDS = new Map<z.ZodType, Field>([
  [atId, id], [atIdOrNull, idOrNull], [atNumberOrNull, numberOrNull], [atText, text], [atTextOrNull, textOrNull],
  [atTextOrEmpty, textOrEmpty], [atDateTime, dateTime], [atDateTimeOrNull, dateTimeOrNull], [atBoolean, boolean],
]);

export type FastRecord = (raw: unknown) => Record<string, unknown> | undefined;

/**
 * The fast path of a loose object schema's shape, or null when a field's schema is not a known building block.
 * Output as Zod builds it for a loose object: the shape's fields in shape order, then the record's other fields as
 * they came.
 */
export function fastRecordOf(shape: Readonly<Record<string, z.ZodType>>): FastRecord | null {
  const fields: Array<[string, Field]> = [];
  for (const [name, schema] of Object.entries(shape)) {
    const field = FIELDS.get(schema);
    if (!field) return null;
    fields.push([name, field]);
  }
  const named = new Set(fields.map(([name]) => name));
  return (raw) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || Object.getPrototypeOf(raw) !== Object.prototype) return undefined;
    const record = raw as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [name, field] of fields) {
      const value = field(record[name]);
      if (value === FAIL) return undefined;
      out[name] = value;
    }
    for (const key of Object.keys(record)) {
      // A key JSON can carry but an object literal cannot take as data: left to the schema.
      if (key === '__proto__') return undefined;
      if (!named.has(key)) out[key] = record[key];
    }
    return out;
  };
}
