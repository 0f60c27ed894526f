/**
 * Every record the client returns passes its entity schema (schemas/index.ts): unknown fields kept, dates
 * normalised to UTC, NUL characters stripped. A record that breaks the schema stops the read with an
 * AutotaskSchemaError naming entity, id and field — never a silently partial record (issue 2).
 */
import type { z } from 'zod';
import { AutotaskSchemaError } from './errors.js';
import { mapInSlices } from '../lib/slices.js';
import { issuePath } from '../lib/zod-issues.js';
import { fastRecordOf, type FastRecord } from './fast-records.js';
import { entitySchemas, readableBillingItem, ticketSchema, type EntityName, type EntityRecord } from './schemas/index.js';

function recordId(raw: unknown): number | null {
  if (raw && typeof raw === 'object') {
    const id = (raw as { id?: unknown }).id;
    if (typeof id === 'number' && Number.isFinite(id)) return id;
  }
  return null;
}

/** Validates one value against a schema; on failure throws naming `what` (entity or metadata), id and field. */
export function validateWith<S extends z.ZodType>(schema: S, what: string, raw: unknown, id: number | null = recordId(raw)): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue ? issuePath(issue) : '';
  throw new AutotaskSchemaError(what, id, field, issue?.message ?? 'is invalid');
}

/**
 * The entities read by the thousand get a fast path that gives the schema's own output, or leaves the record to
 * the schema (src/autotask/fast-records.ts). A billing item the fast path takes is readable: `unreadable` null, set
 * on the object the fast path just built (where the schema's output has it: after the shape, or in place).
 */
const FAST: Partial<Record<EntityName, FastRecord>> = {};
const ticketFast = fastRecordOf(ticketSchema.shape);
if (ticketFast) FAST.Tickets = ticketFast;
const readableFast = fastRecordOf(readableBillingItem.shape);
if (readableFast) {
  FAST.BillingItems = (raw) => {
    const record = readableFast(raw);
    if (record) record.unreadable = null;
    return record;
  };
}

export function validateRecord<E extends EntityName>(entity: E, raw: unknown): EntityRecord<E> {
  const fast = FAST[entity]?.(raw);
  if (fast !== undefined) return fast as EntityRecord<E>;
  return validateWith(entitySchemas[entity], entity, raw) as EntityRecord<E>;
}

/** All or nothing: the page is returned only when every record passed. */
export function validateRecords<E extends EntityName>(entity: E, items: readonly unknown[]): EntityRecord<E>[] {
  return items.map((raw) => validateRecord(entity, raw));
}

/**
 * validateRecords for a whole page, in slices that let the event loop turn between them: a 500-record page is
 * tens of milliseconds of CPU, during which every other job of the process would wait (src/lib/slices.ts).
 */
export function validatePage<E extends EntityName>(entity: E, items: readonly unknown[]): Promise<EntityRecord<E>[]> {
  return mapInSlices(items, (raw) => validateRecord(entity, raw));
}
