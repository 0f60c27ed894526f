/**
 * Reading pages of an entity (docs/autotask-api.md#paging): `POST /V1.0/{Entity}/query` with
 * `{"filter", "MaxRecords" (1..500), "IncludeFields"}`; results come in ascending id order.
 *
 * The default loop is Autotask's own advice and the most robust one: repeat the query with
 * `id gt <largest id seen>` (AND-ed with the caller's filter) until a page comes back short — 1,234
 * records at 500 a page are exactly 3 requests. The `nextPageUrl` mode POSTs the same body to
 * `pageDetails.nextPageUrl` (a GET there answers 405 and naive clients stop at 500 records), and refuses a
 * nextPageUrl whose origin is not the tenant's, since it would carry the credentials elsewhere.
 */
import { z } from 'zod';
import { AutotaskForeignOriginError, AutotaskSchemaError } from './errors.js';
import { f, normalizeFilter } from './filter.js';
import { MalformedAnswer, type Requester } from './request.js';
import type { EntityName, EntityRecord } from './schemas/index.js';
import type { FilterItem, QueryOptions } from './types.js';
import { validatePage } from './validate.js';

export const MAX_PAGE_SIZE = 500;

const queryPageSchema = z.looseObject({
  items: z.array(z.unknown()),
  pageDetails: z.looseObject({ nextPageUrl: z.string().nullable().optional() }).nullable().optional(),
});
type QueryPage = z.infer<typeof queryPageSchema>;

export function parseQueryPage(body: unknown): QueryPage {
  const parsed = queryPageSchema.safeParse(body);
  if (!parsed.success) throw new MalformedAnswer('query answer without an items array');
  return parsed.data;
}

export function clampPageSize(requested: number | undefined, fallback: number): number {
  const size = Math.floor(requested ?? fallback);
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Number.isFinite(size) ? size : MAX_PAGE_SIZE));
}

/** Paging needs `id` in every record, so IncludeFields always names it. */
function includeFields(fields: string[] | undefined): string[] | undefined {
  if (!fields || fields.length === 0) return undefined;
  return fields.some((name) => name.toLowerCase() === 'id') ? [...fields] : ['id', ...fields];
}

export function queryBody(filter: FilterItem[], pageSize: number, fields: string[] | undefined): Record<string, unknown> {
  const include = includeFields(fields);
  return { filter, MaxRecords: pageSize, ...(include ? { IncludeFields: include } : {}) };
}

export interface PageReadOptions extends QueryOptions {
  /** Only ids greater than this (the paging cursor, also a partition's lower bound). */
  afterId?: number;
  /** Only ids up to and including this (a partition's upper bound). */
  upToId?: number;
  /** Stop once this many records were read (an `id in (…)` batch cannot match more than its values). */
  atMost?: number;
}

export interface PageReadDefaults {
  pageSize: number;
}

/** Pages by `id gt <largest id seen>`, stopping on a short page. Every record is validated before its page is yielded. */
export async function* idPages<E extends EntityName>(
  requester: Requester, entity: E, filter: FilterItem | FilterItem[], options: PageReadOptions, defaults: PageReadDefaults,
): AsyncGenerator<EntityRecord<E>[]> {
  const base = normalizeFilter(filter);
  const pageSize = clampPageSize(options.pageSize, defaults.pageSize);
  let after = options.afterId ?? null;
  let seen = 0;
  for (;;) {
    const items = [...base];
    if (after !== null) items.push(f.gt('id', after));
    if (options.upToId !== undefined) items.push(f.lte('id', options.upToId));
    const page = await requester.execute({ method: 'POST', endpoint: entity, path: `V1.0/${entity}/query`,
      body: queryBody(items, pageSize, options.includeFields), operation: 'read', parse: parseQueryPage, signal: options.signal });
    const records = await validatePage(entity, page.items);
    options.onPage?.(records.length);
    if (records.length > 0) yield records;
    seen += records.length;
    if (records.length < pageSize || (options.atMost !== undefined && seen >= options.atMost)) return;
    const largest = records.reduce((max, r) => Math.max(max, r.id), Number.NEGATIVE_INFINITY);
    // A page that does not move past the cursor would loop forever: the answer ignored the id filter.
    if (after !== null && largest <= after) {
      throw new AutotaskSchemaError(entity, largest, 'id', `did not move past ${after}: the id paging filter was ignored`);
    }
    // Ids are integers in ascending order: a full page ending exactly on the partition's upper bound leaves
    // nothing to read, so the empty confirmation page is skipped (it matters for the request budget).
    if (options.upToId !== undefined && largest >= options.upToId) return;
    after = largest;
  }
}

/** Pages through `pageDetails.nextPageUrl`, POSTing the same body each time (never a GET). */
export async function* nextUrlPages<E extends EntityName>(
  requester: Requester, entity: E, filter: FilterItem | FilterItem[], options: QueryOptions, defaults: PageReadDefaults,
): AsyncGenerator<EntityRecord<E>[]> {
  const pageSize = clampPageSize(options.pageSize, defaults.pageSize);
  const body = queryBody(normalizeFilter(filter), pageSize, options.includeFields);
  const root = await requester.restRoot(options.signal);
  const origin = new URL(root).origin;
  let target: { path: string } | { url: string } = { path: `V1.0/${entity}/query` };
  for (;;) {
    const page: QueryPage = await requester.execute({ method: 'POST', endpoint: entity, ...target, body, operation: 'read',
      parse: parseQueryPage, signal: options.signal });
    const records = await validatePage(entity, page.items);
    options.onPage?.(records.length);
    if (records.length > 0) yield records;
    const next = page.pageDetails?.nextPageUrl;
    if (!next || records.length === 0) return;
    const url = new URL(next, root);
    if (url.origin !== origin) {
      throw new AutotaskForeignOriginError(`Autotask POST ${entity}: nextPageUrl points at ${url.origin}, not the tenant's ${origin}; `
        + 'credentials are not sent there', { entity, method: 'POST' });
    }
    target = { url: url.toString() };
  }
}
