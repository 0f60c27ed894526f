/**
 * A typed builder for Autotask query filters (docs/autotask-api.md#query-filters): a filter item is `{op, field, value}`,
 * `udf: true` marks a user-defined field, and `and`/`or` groups nest. The builder only produces JSON; it
 * refuses what Autotask would reject anyway (an empty filter, an empty group, an `in` list longer than the
 * 500 OR conditions Autotask accepts — the client's `queryIn` batches long lists).
 */
import { InputError } from '../lib/errors.js';
import type { FilterCondition, FilterGroup, FilterItem, FilterOp } from './types.js';

export type FilterValue = string | number | boolean | null;

/** docs/autotask-api.md#query-filters: at most 500 OR conditions, so long `in` lists go in batches. */
export const MAX_IN_VALUES = 500;

interface FieldOptions {
  /** The field is a user-defined field (docs/autotask-api.md#query-filters: at most one per query). */
  udf?: boolean;
}

function condition(op: FilterOp, field: string, value: unknown, options: FieldOptions | undefined): FilterCondition {
  if (!field.trim()) throw new InputError(`filter ${op}: the field name is empty`, { op });
  const item: FilterCondition = value === undefined ? { op, field } : { op, field, value };
  if (options?.udf) item.udf = true;
  return item;
}

function list(op: 'in' | 'notIn', field: string, values: readonly FilterValue[], options?: FieldOptions): FilterCondition {
  if (values.length === 0) throw new InputError(`filter ${op} on ${field}: the value list is empty`, { field });
  if (values.length > MAX_IN_VALUES) {
    throw new InputError(`filter ${op} on ${field}: ${values.length} values, Autotask accepts at most ${MAX_IN_VALUES}`
      + ' (use client.queryIn, which batches)', { field, count: values.length });
  }
  return condition(op, field, [...values], options);
}

function group(op: 'and' | 'or', items: FilterItem[]): FilterGroup {
  if (items.length === 0) throw new InputError(`filter ${op}: a group needs at least one item`, { op });
  return { op, items };
}

export const f = {
  eq: (field: string, value: FilterValue, options?: FieldOptions) => condition('eq', field, value, options),
  noteq: (field: string, value: FilterValue, options?: FieldOptions) => condition('noteq', field, value, options),
  gt: (field: string, value: FilterValue, options?: FieldOptions) => condition('gt', field, value, options),
  gte: (field: string, value: FilterValue, options?: FieldOptions) => condition('gte', field, value, options),
  lt: (field: string, value: FilterValue, options?: FieldOptions) => condition('lt', field, value, options),
  lte: (field: string, value: FilterValue, options?: FieldOptions) => condition('lte', field, value, options),
  beginsWith: (field: string, value: string, options?: FieldOptions) => condition('beginsWith', field, value, options),
  endsWith: (field: string, value: string, options?: FieldOptions) => condition('endsWith', field, value, options),
  contains: (field: string, value: string, options?: FieldOptions) => condition('contains', field, value, options),
  /** The field has a value (no `value` is sent). */
  exist: (field: string, options?: FieldOptions) => condition('exist', field, undefined, options),
  /** The field is empty (no `value` is sent). */
  notExist: (field: string, options?: FieldOptions) => condition('notExist', field, undefined, options),
  in: (field: string, values: readonly FilterValue[], options?: FieldOptions) => list('in', field, values, options),
  notIn: (field: string, values: readonly FilterValue[], options?: FieldOptions) => list('notIn', field, values, options),
  and: (...items: FilterItem[]) => group('and', items),
  or: (...items: FilterItem[]) => group('or', items),
  /** A condition on a user-defined field: `{op, field, value, udf: true}`. */
  udf: (op: FilterOp, field: string, value?: FilterValue | readonly FilterValue[]) =>
    condition(op, field, Array.isArray(value) ? [...value] : value, { udf: true }),
  /** "Everything": Autotask refuses an empty filter (docs/autotask-api.md#query-filters), so clients send `id gte 0`. */
  all: (): FilterCondition => ({ op: 'gte', field: 'id', value: 0 }),
};

/** The caller's filter as the top-level list Autotask expects (top-level items are AND-ed). Never empty. */
export function normalizeFilter(filter: FilterItem | FilterItem[]): FilterItem[] {
  const items = Array.isArray(filter) ? [...filter] : [filter];
  return items.length === 0 ? [f.all()] : items;
}

/** How many user-defined-field conditions a filter holds (Autotask allows one per query). */
export function countUdf(items: FilterItem[]): number {
  let n = 0;
  for (const item of items) {
    if ('items' in item) n += countUdf(item.items);
    else if (item.udf) n += 1;
  }
  return n;
}
