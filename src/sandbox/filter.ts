/**
 * Compiles a query filter into a predicate, refusing what Autotask refuses (docs/autotask-api.md#query-filters): unknown
 * operators and fields, fields that cannot be queried, an empty filter, booleans other than true/false,
 * more than 500 OR conditions, more than one udf condition. Names are case-insensitive. String comparisons are
 * case-insensitive, as the SQL Server collation behind Autotask is. A null field never satisfies a comparison
 * (SQL semantics: `noteq`/`notIn` do not match nulls either; unverified, so clients should use exist/notExist).
 * The id bounds of the top-level AND are extracted so paging can binary-search instead of scanning.
 */
import type { EntityDef, FieldDef } from './entities.js';
import { SandboxApiError, type SandboxRecord } from './types.js';

type Predicate = (record: SandboxRecord) => boolean;

export interface CompiledFilter {
  test: Predicate;
  /** Smallest id that can match (inclusive). */
  minId: number;
  /** Largest id that can match (inclusive). */
  maxId: number;
}

const OPS = new Set(['eq', 'noteq', 'gt', 'gte', 'lt', 'lte', 'beginswith', 'endswith', 'contains', 'exist', 'notexist',
  'in', 'notin']);
const MAX_OR_CONDITIONS = 500;

interface Context { def: EntityDef; orConditions: number; udfConditions: number }

const bad = (message: string): SandboxApiError => new SandboxApiError(500, message);

/** Property names of a filter item are case-insensitive too ("Op", "Field"). */
function prop(item: Record<string, unknown>, name: string): unknown {
  if (name in item) return item[name];
  const key = Object.keys(item).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : item[key];
}

function isNumeric(type: FieldDef['dataType']): boolean {
  return type === 'integer' || type === 'long' || type === 'double' || type === 'decimal';
}

/** A comparable form of a value for a field type: numbers, epoch ms, lower-cased text, booleans. */
function normalise(field: Pick<FieldDef, 'name' | 'dataType'>, value: unknown): number | string | boolean {
  const { dataType } = field;
  if (isNumeric(dataType)) {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(n)) throw bad(`Value ${JSON.stringify(value)} is not a valid ${dataType} for field ${field.name}.`);
    return n;
  }
  if (dataType === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw bad(`Value ${JSON.stringify(value)} is not a valid boolean for field ${field.name}; use true or false.`);
  }
  if (dataType === 'datetime' || dataType === 'date') {
    const ms = typeof value === 'string' ? parseDateTime(value) : NaN;
    if (!Number.isFinite(ms)) throw bad(`Value ${JSON.stringify(value)} is not a valid date for field ${field.name}.`);
    return ms;
  }
  if (value === null || typeof value === 'object') throw bad(`Value ${JSON.stringify(value)} is not valid for field ${field.name}.`);
  return String(value).toLowerCase();
}

/** docs/autotask-api.md#dates: date-times are UTC; a value written without a zone is UTC. */
export function parseDateTime(value: string): number {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  return new Date(hasZone || value.length <= 10 ? value : `${value}Z`).getTime();
}

function recordValue(field: FieldDef, record: SandboxRecord): number | string | boolean | null {
  const raw = record[field.name];
  if (raw === null || raw === undefined) return null;
  if (field.dataType === 'datetime' || field.dataType === 'date') return typeof raw === 'string' ? parseDateTime(raw) : null;
  if (typeof raw === 'string') return raw.toLowerCase();
  return raw as number | boolean;
}

function udfValue(name: string, record: SandboxRecord): string | null {
  const list = record.userDefinedFields;
  if (!Array.isArray(list)) return null;
  const hit = list.find((u: { name?: unknown }) => typeof u?.name === 'string' && u.name.toLowerCase() === name);
  const value = (hit as { value?: unknown } | undefined)?.value;
  return value === null || value === undefined ? null : String(value).toLowerCase();
}

function compileCondition(item: Record<string, unknown>, op: string, ctx: Context): Predicate {
  const rawField = prop(item, 'field');
  if (typeof rawField !== 'string' || rawField === '') throw bad(`Filter condition "${op}" needs a field.`);
  const isUdf = prop(item, 'udf') === true;
  let field: FieldDef;
  let read: (record: SandboxRecord) => number | string | boolean | null;
  if (isUdf) {
    ctx.udfConditions += 1;
    if (ctx.udfConditions > 1) throw bad('Only one user-defined field can be used in a query.');
    const name = rawField.toLowerCase();
    field = { name: rawField, dataType: 'string' } as FieldDef;
    read = (record) => udfValue(name, record);
  } else {
    const found = ctx.def.byLowerName.get(rawField.toLowerCase());
    if (!found) throw bad(`Unable to find ${rawField} in the ${ctx.def.singular} entity.`);
    if (!found.queryable) throw bad(`Field ${found.name} of entity ${ctx.def.singular} cannot be queried.`);
    field = found;
    read = (record) => recordValue(found, record);
  }
  const value = prop(item, 'value');
  if (op === 'exist') return (r) => read(r) !== null;
  if (op === 'notexist') return (r) => read(r) === null;
  if (op === 'in' || op === 'notin') {
    if (!Array.isArray(value) || value.length === 0) throw bad(`Operator ${op} on field ${field.name} needs a non-empty array value.`);
    ctx.orConditions += value.length;
    const set = new Set(value.map((v) => normalise(field, v)));
    return op === 'in'
      ? (r) => { const v = read(r); return v !== null && set.has(v); }
      : (r) => { const v = read(r); return v !== null && !set.has(v); };
  }
  if (value === null || value === undefined) {
    // `eq null` reads as "has no value" and `noteq null` as "has one": lenient, never an error.
    if (op === 'eq') return (r) => read(r) === null;
    if (op === 'noteq') return (r) => read(r) !== null;
    throw bad(`Operator ${op} on field ${field.name} needs a value.`);
  }
  if (op === 'beginswith' || op === 'endswith' || op === 'contains') {
    const needle = String(value).toLowerCase();
    const match = op === 'beginswith' ? (s: string) => s.startsWith(needle)
      : op === 'endswith' ? (s: string) => s.endsWith(needle) : (s: string) => s.includes(needle);
    return (r) => { const v = read(r); return v !== null && match(String(v).toLowerCase()); };
  }
  const target = normalise(field, value);
  switch (op) {
    case 'eq': return (r) => read(r) === target;
    case 'noteq': return (r) => { const v = read(r); return v !== null && v !== target; };
    case 'gt': return (r) => { const v = read(r); return v !== null && v > target; };
    case 'gte': return (r) => { const v = read(r); return v !== null && v >= target; };
    case 'lt': return (r) => { const v = read(r); return v !== null && v < target; };
    default: return (r) => { const v = read(r); return v !== null && v <= target; };
  }
}

function compileItem(item: unknown, ctx: Context): Predicate {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw bad('Each filter item must be an object.');
  const record = item as Record<string, unknown>;
  const rawOp = prop(record, 'op');
  if (typeof rawOp !== 'string') throw bad('Each filter item needs an "op".');
  const op = rawOp.toLowerCase();
  if (op === 'and' || op === 'or') {
    const items = prop(record, 'items');
    if (!Array.isArray(items) || items.length === 0) throw bad(`The "${rawOp}" group needs a non-empty "items" array.`);
    if (op === 'or') ctx.orConditions += items.length;
    const parts = items.map((child) => compileItem(child, ctx));
    return op === 'and' ? (r) => parts.every((p) => p(r)) : (r) => parts.some((p) => p(r));
  }
  if (!OPS.has(op)) throw bad(`Invalid operator ${rawOp}.`);
  return compileCondition(record, op, ctx);
}

/** Tightens [minId, maxId] from id conditions that every match must satisfy (top level and nested ANDs). */
function collectIdBounds(items: unknown[], bounds: { minId: number; maxId: number }): void {
  for (const item of items) {
    if (item === null || typeof item !== 'object') continue;
    const record = item as Record<string, unknown>;
    const op = String(prop(record, 'op') ?? '').toLowerCase();
    if (op === 'and') {
      const nested = prop(record, 'items');
      if (Array.isArray(nested)) collectIdBounds(nested, bounds);
      continue;
    }
    if (String(prop(record, 'field') ?? '').toLowerCase() !== 'id' || prop(record, 'udf') === true) continue;
    const n = Number(prop(record, 'value'));
    if (!Number.isFinite(n)) continue;
    if (op === 'gt') bounds.minId = Math.max(bounds.minId, Math.floor(n) + 1);
    else if (op === 'gte' || op === 'eq') bounds.minId = Math.max(bounds.minId, Math.ceil(n));
    if (op === 'lt') bounds.maxId = Math.min(bounds.maxId, Math.ceil(n) - 1);
    else if (op === 'lte' || op === 'eq') bounds.maxId = Math.min(bounds.maxId, Math.floor(n));
  }
}

/** `filter` is the body's filter array (the top level is an AND of its items). */
export function compileFilter(def: EntityDef, filter: unknown): CompiledFilter {
  if (!Array.isArray(filter) || filter.length === 0) {
    throw bad('A query requires a filter with at least one condition, e.g. {"op":"gte","field":"id","value":0}.');
  }
  const ctx: Context = { def, orConditions: 0, udfConditions: 0 };
  const parts = filter.map((item) => compileItem(item, ctx));
  if (ctx.orConditions > MAX_OR_CONDITIONS) {
    throw bad(`The query has ${ctx.orConditions} OR conditions; at most ${MAX_OR_CONDITIONS} are allowed.`);
  }
  const bounds = { minId: Number.NEGATIVE_INFINITY, maxId: Number.POSITIVE_INFINITY };
  collectIdBounds(filter, bounds);
  const test: Predicate = parts.length === 1 ? (parts[0] as Predicate) : (r) => parts.every((p) => p(r));
  return { test, ...bounds };
}
