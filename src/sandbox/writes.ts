/**
 * Creates, updates and deletes with Autotask's rules (docs/autotask-api.md#writing, #errors): the entity
 * must allow the operation, read-only fields are refused, required fields must be present after the write,
 * references must exist, picklist values must be active ones of the tenant, strings respect their length, and
 * every failure is an HTTP 500 `{"errors":[…]}`. PATCH merges, PUT replaces (omitted writable fields become
 * null). Entity-specific rules live in entity-rules.ts; maintained date-times are set here.
 */
import { applyEntityRules, entityDefaults, type WriteContext } from './entity-rules.js';
import { parseDateTime } from './filter.js';
import type { EntityDef, FieldDef } from './entities.js';
import { entityDef } from './entities.js';
import { RouteError, SandboxApiError, type SandboxRecord } from './types.js';

export type { WriteContext };

export interface WriteResult {
  record: SandboxRecord;
  action: 'Create' | 'Update' | 'Delete';
  /** Fields whose value changed (all set fields on create). */
  changed: string[];
}

type Candidate = Record<string, unknown> & { id: number };

function coerce(field: FieldDef, value: unknown, errors: string[]): unknown {
  if (value === null || value === undefined) return null;
  const fail = (): null => { errors.push(`Value ${JSON.stringify(value)} is not valid for field ${field.name} (${field.dataType}).`); return null; };
  switch (field.dataType) {
    case 'integer': case 'long': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isInteger(n) ? n : fail();
    }
    case 'double': case 'decimal': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? n : fail();
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      return value === 'true' || value === 'false' ? value === 'true' : fail();
    case 'datetime': case 'date': {
      const ms = typeof value === 'string' ? parseDateTime(value) : NaN;
      if (!Number.isFinite(ms)) return fail();
      const iso = new Date(ms).toISOString();
      // docs/autotask-api.md#dates: date-only fields are stored at midnight.
      return field.dataType === 'date' ? `${iso.slice(0, 10)}T00:00:00.000Z` : iso;
    }
    default: {
      if (typeof value === 'object') return fail();
      const text = String(value);
      if (text.length > field.length) {
        errors.push(`Value for field ${field.name} exceeds the maximum length of ${field.length} characters.`);
        return null;
      }
      return text;
    }
  }
}

/** Body keys are case-insensitive; unknown keys are ignored as Autotask's deserialiser does. */
function readBody(def: EntityDef, body: unknown, allowId: boolean, errors: string[]): Map<FieldDef, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SandboxApiError(500, `The request body must be one ${def.singular} object.`);
  }
  const input = new Map<FieldDef, unknown>();
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    const field = def.byLowerName.get(key.toLowerCase());
    if (!field) continue;
    if (field.name === 'id') {
      if (!allowId && raw !== null && raw !== undefined && raw !== 0) errors.push('The id of a new entity cannot be set.');
      continue;
    }
    if (field.readOnly) { errors.push(`Field ${field.name} is read-only on entity ${def.singular}.`); continue; }
    input.set(field, coerce(field, raw, errors));
  }
  return input;
}

function validateCommon(ctx: WriteContext, def: EntityDef, candidate: Candidate, touched: Set<string>, errors: string[]): void {
  for (const field of def.fields) {
    const value = candidate[field.name];
    if (field.required && !field.readOnly && (value === null || value === undefined || value === '')) {
      errors.push(`Missing required field: ${field.name}.`);
      continue;
    }
    if (value === null || value === undefined || field.readOnly || !touched.has(field.name)) continue;
    if (field.ref) {
      const target = ctx.store.get(field.ref, value as number);
      if (!target) {
        errors.push(`Reference value on field: ${field.name} of type: ${entityDef(field.ref).singular} does not exist or is invalid.`);
      }
    }
    if (field.picklist) {
      const entries = ctx.store.picklist(def.name, field.name) ?? [];
      const entry = entries.find((e) => e.value === value);
      if (!entry || entry.isActive === false) {
        errors.push(`Value ${String(value)} on field: ${field.name} is not an active picklist value of ${def.singular}.`);
      } else if (field.parentField && entry.parentValue !== undefined && entry.parentValue !== null
        && candidate[field.parentField] !== entry.parentValue) {
        errors.push(`Value ${String(value)} on field: ${field.name} does not belong to ${field.parentField} ${String(candidate[field.parentField])}.`);
      }
    }
  }
}

function finish(errors: string[]): void {
  if (errors.length > 0) throw new SandboxApiError(500, errors);
}

function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((key) => key !== 'id'
    && JSON.stringify(before ? before[key] ?? null : null) !== JSON.stringify(after[key] ?? null));
}

/** POST /{Entity} (or the parent route, with `parentId`). */
export function createRecord(ctx: WriteContext, def: EntityDef, body: unknown, parentId?: number): WriteResult {
  if (!def.canCreate || (def.parent && parentId === undefined)) {
    throw new RouteError(405, "The requested resource does not support http method 'POST'.");
  }
  const errors: string[] = [];
  const input = readBody(def, body, false, errors);
  const candidate: Candidate = { id: 0 };
  for (const field of def.fields) if (field.name !== 'id') candidate[field.name] = null;
  Object.assign(candidate, entityDefaults(def.name));
  for (const [field, value] of input) if (value !== null) candidate[field.name] = value;
  if (def.parent && parentId !== undefined) {
    const given = candidate[def.parent.field];
    if (given !== null && given !== parentId) errors.push(`${def.parent.field} does not match the parent in the URL.`);
    candidate[def.parent.field] = parentId;
    if (!ctx.store.get(def.parent.entity, parentId)) {
      throw new SandboxApiError(500, `Reference value on field: ${def.parent.field} of type: ${entityDef(def.parent.entity).singular} does not exist or is invalid.`);
    }
  }
  const touched = new Set(def.fields.map((f) => f.name));
  finish(errors);
  validateCommon(ctx, def, candidate, touched, errors);
  finish(errors);
  const now = ctx.now.toISOString();
  if (def.createdField) candidate[def.createdField] = now;
  if (def.modifiedField) candidate[def.modifiedField] = now;
  applyEntityRules(ctx, def.name, candidate, null, touched, errors);
  finish(errors);
  candidate.id = ctx.store.nextId(def.name);
  const record = ctx.store.insert(def.name, candidate);
  return { record, action: 'Create', changed: changedFields(null, record) };
}

/** PATCH /{Entity} (merge) or PUT /{Entity} (replace), `id` in the body (docs/autotask-api.md#writing). */
export function updateRecord(ctx: WriteContext, def: EntityDef, body: unknown, mode: 'patch' | 'put', parentId?: number): WriteResult {
  if (!def.canUpdate || (def.parent && parentId === undefined)) {
    throw new RouteError(405, `The requested resource does not support http method '${mode.toUpperCase()}'.`);
  }
  const errors: string[] = [];
  const input = readBody(def, body, true, errors);
  const rawId = Object.entries(body as Record<string, unknown>).find(([k]) => k.toLowerCase() === 'id')?.[1];
  const id = typeof rawId === 'string' && rawId.trim() !== '' ? Number(rawId) : rawId;
  if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) throw new SandboxApiError(500, `An update of ${def.singular} requires its id in the body.`);
  const existing = ctx.store.get(def.name, id);
  if (!existing || (def.parent && parentId !== undefined && existing[def.parent.field] !== parentId)) {
    throw new SandboxApiError(500, `Unable to find ${def.singular} with id ${id}.`);
  }
  finish(errors);
  const candidate: Candidate = { ...existing, id };
  if (mode === 'put') for (const field of def.fields) if (!field.readOnly && field.name !== 'id') candidate[field.name] = null;
  for (const [field, value] of input) candidate[field.name] = value;
  const touched = new Set(mode === 'put' ? def.fields.map((f) => f.name) : [...input.keys()].map((f) => f.name));
  validateCommon(ctx, def, candidate, touched, errors);
  finish(errors);
  if (def.modifiedField) candidate[def.modifiedField] = ctx.now.toISOString();
  applyEntityRules(ctx, def.name, candidate, existing, touched, errors);
  finish(errors);
  const before = { ...existing };
  const record = ctx.store.update(def.name, id, candidate);
  return { record, action: 'Update', changed: changedFields(before, record) };
}

/** DELETE /{Entity}/{id}: only where entityInformation says canDelete (TimeEntries here). */
export function deleteRecord(ctx: WriteContext, def: EntityDef, id: number): WriteResult {
  if (!def.canDelete) throw new RouteError(405, "The requested resource does not support http method 'DELETE'.");
  const existing = ctx.store.get(def.name, id);
  if (!existing) throw new SandboxApiError(500, `Unable to find ${def.singular} with id ${id}.`);
  ctx.store.remove(def.name, id);
  return { record: existing, action: 'Delete', changed: [] };
}
