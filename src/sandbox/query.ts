/**
 * Query execution: `POST /{Entity}/query`, `/query/count`, `GET ?search=` and the paging URLs.
 * docs/autotask-api.md#paging: MaxRecords 1..500 else HTTP 500; ascending ids; `pageDetails` with a `nextPageUrl`
 * that must be POSTed again with the same body. The paging token is stateless: it carries the position and a
 * digest of the body, so a different body (or a GET, refused by the router) cannot continue the query.
 */
import { createHash } from 'node:crypto';
import { compileFilter } from './filter.js';
import type { EntityDef } from './entities.js';
import type { TenantStore } from './store.js';
import { SandboxApiError, type SandboxRecord } from './types.js';

export const MAX_RECORDS = 500;

export interface QueryRequest {
  filter: unknown;
  maxRecords: number;
  includeFields: string[] | null;
}

export interface PageCursor {
  /** Continue after this id (next page) … */
  afterId?: number;
  /** … or end before this id (previous page). */
  beforeId?: number;
  page: number;
}

interface PagingToken { e: string; h: string; a?: number; b?: number; p: number }

function prop(body: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(body).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : body[key];
}

/** Property names of the body are case-insensitive ("MaxRecords", "maxRecords", "Filter"). */
export function parseQueryBody(body: unknown): QueryRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SandboxApiError(500, 'The query body must be a JSON object with a "filter" array.');
  }
  const record = body as Record<string, unknown>;
  const max = prop(record, 'MaxRecords');
  let maxRecords = MAX_RECORDS;
  if (max !== undefined && max !== null) {
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_RECORDS) {
      // The real tenant's text (docs/autotask-samples.md, "Errors").
      throw new SandboxApiError(500, `maxCountOfRecordsToReturn must be between 1 and ${MAX_RECORDS}`);
    }
    maxRecords = max;
  }
  const include = prop(record, 'IncludeFields');
  const includeFields = Array.isArray(include) && include.length > 0 ? include.map(String) : null;
  return { filter: prop(record, 'filter'), maxRecords, includeFields };
}

export function bodyDigest(body: unknown): string {
  return createHash('sha1').update(JSON.stringify(body ?? null)).digest('base64url').slice(0, 16);
}

export function encodeToken(token: PagingToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** The cursor a paging token stands for, if it was issued for this entity and this exact body. */
export function decodeToken(raw: string | null, def: EntityDef, body: unknown): PageCursor {
  let token: PagingToken;
  try {
    token = JSON.parse(Buffer.from(raw ?? '', 'base64url').toString('utf8')) as PagingToken;
  } catch {
    throw new SandboxApiError(500, 'The paging value is not valid.');
  }
  if (typeof token !== 'object' || token === null || token.e !== def.name || typeof token.p !== 'number') {
    throw new SandboxApiError(500, 'The paging value is not valid.');
  }
  if (token.h !== bodyDigest(body)) {
    throw new SandboxApiError(500, 'The paging value does not belong to this query: send the same body as the first page.');
  }
  return { afterId: token.a, beforeId: token.b, page: token.p };
}

function project(record: SandboxRecord, def: EntityDef, include: string[] | null): Record<string, unknown> {
  if (!include) return record;
  const out: Record<string, unknown> = { id: record.id };
  for (const name of include) {
    const field = def.byLowerName.get(name.toLowerCase());
    if (field) out[field.name] = record[field.name];
  }
  return out;
}

export interface PageAnswer {
  items: Record<string, unknown>[];
  pageDetails: { count: number; requestCount: number; prevPageUrl: string | null; nextPageUrl: string | null };
}

/**
 * One page. `pageUrl(token)` renders a paging URL (the router knows the REST root and whether the query came
 * as a GET ?search=). Looks at most MaxRecords+1 matches past the start, found by binary search on id.
 */
export function runPage(store: TenantStore, def: EntityDef, req: QueryRequest, body: unknown, cursor: PageCursor,
  pageUrl: (direction: 'next' | 'prev', token: string) => string): PageAnswer {
  const compiled = compileFilter(def, req.filter);
  const rows = store.all(def.name);
  const matches: SandboxRecord[] = [];
  let more = false;
  if (cursor.beforeId !== undefined) {
    for (let i = store.lowerBound(def.name, Math.min(cursor.beforeId, compiled.maxId + 1)) - 1; i >= 0; i -= 1) {
      const row = rows[i] as SandboxRecord;
      if (row.id < compiled.minId) break;
      if (!compiled.test(row)) continue;
      if (matches.length === req.maxRecords) { more = true; break; }
      matches.push(row);
    }
    matches.reverse();
  } else {
    const from = Math.max(compiled.minId, cursor.afterId === undefined ? Number.NEGATIVE_INFINITY : cursor.afterId + 1);
    for (let i = store.lowerBound(def.name, from); i < rows.length; i += 1) {
      const row = rows[i] as SandboxRecord;
      if (row.id > compiled.maxId) break;
      if (!compiled.test(row)) continue;
      if (matches.length === req.maxRecords) { more = true; break; }
      matches.push(row);
    }
  }
  const digest = bodyDigest(body);
  const first = matches[0];
  const last = matches[matches.length - 1];
  const backwards = cursor.beforeId !== undefined;
  const hasNext = backwards ? last !== undefined : more;
  const hasPrev = backwards ? more : cursor.page > 1 && first !== undefined;
  return {
    items: matches.map((r) => project(r, def, req.includeFields)),
    pageDetails: {
      count: matches.length,
      requestCount: req.maxRecords,
      prevPageUrl: hasPrev && first
        ? pageUrl('prev', encodeToken({ e: def.name, h: digest, b: first.id, p: Math.max(1, cursor.page - 1) })) : null,
      nextPageUrl: hasNext && last
        ? pageUrl('next', encodeToken({ e: def.name, h: digest, a: last.id, p: cursor.page + 1 })) : null,
    },
  };
}

export function runCount(store: TenantStore, def: EntityDef, filter: unknown): number {
  const compiled = compileFilter(def, filter);
  const rows = store.all(def.name);
  let count = 0;
  for (let i = store.lowerBound(def.name, compiled.minId); i < rows.length; i += 1) {
    const row = rows[i] as SandboxRecord;
    if (row.id > compiled.maxId) break;
    if (compiled.test(row)) count += 1;
  }
  return count;
}
