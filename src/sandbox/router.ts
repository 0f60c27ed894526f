/**
 * The REST routes below `/ATServicesRest/V1.0/` once a request is authenticated and admitted
 * (docs/autotask-api.md#query-filters, #paging, #writing). Returns the answer to send or throws SandboxApiError (HTTP 500 `{"errors"}` and
 * friends) or RouteError (IIS-style 404/405 `{"Message"}`). There is deliberately no `PATCH /{Entity}/{id}`.
 */
import { ENTITY_DEFS, findEntity, type EntityDef } from './entities.js';
import { decodeToken, parseQueryBody, runCount, runPage, type PageCursor } from './query.js';
import type { TenantStore } from './store.js';
import { RouteError, SandboxApiError, type SandboxEntity } from './types.js';
import { createRecord, deleteRecord, updateRecord, type WriteResult } from './writes.js';

export interface RouterContext {
  store: TenantStore;
  /** The REST root, ending in `/ATServicesRest/`. */
  restRoot: string;
  now: Date;
  actorResourceId: number;
  threshold: { limit: number; used: number };
}

export interface ApiRequest {
  method: string;
  /** Path segments after `V1.0`, decoded. */
  segments: string[];
  query: URLSearchParams;
  body: unknown;
  /** The path and query as received, for 404 texts. */
  rawUrl: string;
}

export interface Answer {
  status: number;
  body: unknown;
  write?: { entity: SandboxEntity; method: 'POST' | 'PATCH' | 'PUT' | 'DELETE'; result: WriteResult };
}

const notAllowed = (method: string): RouteError =>
  new RouteError(405, `The requested resource does not support http method '${method}'.`);

function parseId(segment: string | undefined): number | null {
  return segment !== undefined && /^\d+$/.test(segment) ? Number(segment) : null;
}

function picklistJson(store: TenantStore, def: EntityDef, field: string): unknown[] | null {
  const entries = store.picklist(def.name, field);
  if (!entries) return null;
  // docs/autotask-api.md#metadata: picklist values come as strings ("3") while records carry numbers.
  return entries.map((e, index) => ({ value: String(e.value), label: e.label, isDefaultValue: e.isDefaultValue ?? false,
    sortOrder: e.sortOrder ?? index + 1, parentValue: e.parentValue === null || e.parentValue === undefined ? '' : String(e.parentValue),
    isActive: e.isActive ?? true, isSystem: e.isSystem ?? false }));
}

function fieldsJson(store: TenantStore, def: EntityDef): unknown[] {
  const overrides = store.settings.fieldOverrides;
  return def.fields.filter((f) => overrides[`${def.name}.${f.name}`]?.missing !== true).map((f) => ({
    name: f.name, dataType: f.dataType, length: f.length, isRequired: f.required,
    isReadOnly: overrides[`${def.name}.${f.name}`]?.readOnly ?? f.readOnly,
    isQueryable: overrides[`${def.name}.${f.name}`]?.queryable ?? f.queryable, isReference: f.ref !== null,
    referenceEntityType: f.ref ? (ENTITY_DEFS.get(f.ref)?.singular ?? f.ref) : '',
    isPickList: f.picklist, picklistValues: f.picklist ? picklistJson(store, def, f.name) : null,
    picklistParentValueField: f.parentField ?? '', isSupportedWebhookField: def.webhooks,
  }));
}

function searchBody(req: ApiRequest): unknown {
  const search = req.query.get('search');
  if (search === null) return undefined;
  try {
    return JSON.parse(search) as unknown;
  } catch {
    throw new SandboxApiError(500, 'The search parameter is not valid JSON.');
  }
}

function queryRoutes(ctx: RouterContext, def: EntityDef, req: ApiRequest, rest: string[]): Answer {
  const isGet = req.method === 'GET';
  if (!isGet && req.method !== 'POST') throw notAllowed(req.method);
  const body = isGet ? searchBody(req) : req.body;
  const action = rest[0]?.toLowerCase();
  if (isGet && body === undefined) {
    // A nextPageUrl followed with GET: Autotask's IIS answers 405 (docs/autotask-api.md#paging).
    if (action === 'next' || action === 'prev') throw notAllowed('GET');
    throw new SandboxApiError(500, 'A GET query needs a search parameter holding the query JSON.');
  }
  if (rest.length === 0 || action === 'next' || action === 'prev') {
    if (rest.length > 1) throw new RouteError(404, `No HTTP resource was found that matches the request URI '${req.rawUrl}'.`);
    const parsed = parseQueryBody(body);
    const cursor: PageCursor = rest.length === 0 ? { page: 1 } : decodeToken(req.query.get('paging'), def, body);
    const search = isGet ? `&search=${encodeURIComponent(JSON.stringify(body))}` : '';
    const page = runPage(ctx.store, def, parsed, body, cursor,
      (direction, token) => `${ctx.restRoot}V1.0/${def.name}/query/${direction}?paging=${token}${search}`);
    return { status: 200, body: page };
  }
  if (action === 'count' && rest.length === 1) {
    const parsed = parseQueryBody(body);
    return { status: 200, body: { queryCount: runCount(ctx.store, def, parsed.filter) } };
  }
  throw new RouteError(404, `No HTTP resource was found that matches the request URI '${req.rawUrl}'.`);
}

function childRoutes(ctx: RouterContext, parent: EntityDef, parentId: number, req: ApiRequest, rest: string[]): Answer {
  const child = [...ENTITY_DEFS.values()].find((d) => d.parent?.entity === parent.name
    && d.parent.route.toLowerCase() === rest[0]?.toLowerCase());
  if (!child?.parent) throw new RouteError(404, `No HTTP resource was found that matches the request URI '${req.rawUrl}'.`);
  const wctx = { store: ctx.store, now: ctx.now, actorResourceId: ctx.actorResourceId };
  const childId = parseId(rest[1]);
  if (rest.length === 2 && childId !== null && req.method === 'GET') {
    const item = ctx.store.get(child.name, childId);
    if (!item || item[child.parent.field] !== parentId) throw new SandboxApiError(404, `${child.singular} ${childId} was not found.`);
    return { status: 200, body: { item } };
  }
  if (rest.length !== 1) throw new RouteError(404, `No HTTP resource was found that matches the request URI '${req.rawUrl}'.`);
  if (req.method === 'GET') {
    if (!ctx.store.get(parent.name, parentId)) throw new SandboxApiError(404, `${parent.singular} ${parentId} was not found.`);
    const items = ctx.store.all(child.name).filter((r) => r[child.parent?.field ?? ''] === parentId).slice(0, 500);
    return { status: 200, body: { items, pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl: null } } };
  }
  if (req.method === 'POST') {
    const result = createRecord(wctx, child, req.body, parentId);
    return { status: 200, body: { itemId: result.record.id }, write: { entity: child.name, method: 'POST', result } };
  }
  if (req.method === 'PATCH' || req.method === 'PUT') {
    const mode = req.method === 'PATCH' ? 'patch' : 'put';
    const result = updateRecord(wctx, child, req.body, mode, parentId);
    return { status: 200, body: { itemId: result.record.id }, write: { entity: child.name, method: req.method, result } };
  }
  throw notAllowed(req.method);
}

export function routeApi(ctx: RouterContext, req: ApiRequest): Answer {
  const [first, ...rest] = req.segments;
  if (first?.toLowerCase() === 'thresholdinformation' && rest.length === 0) {
    if (req.method !== 'GET') throw notAllowed(req.method);
    return { status: 200, body: { externalRequestThreshold: ctx.threshold.limit, requestThresholdTimeframe: 60,
      currentTimeframeRequestCount: ctx.threshold.used } };
  }
  const def = first ? findEntity(first) : undefined;
  if (!def) throw new RouteError(404, `No HTTP resource was found that matches the request URI '${req.rawUrl}'.`);
  const wctx = { store: ctx.store, now: ctx.now, actorResourceId: ctx.actorResourceId };
  const head = rest[0]?.toLowerCase();
  if (rest.length === 0) {
    if (req.method === 'POST') {
      const result = createRecord(wctx, def, req.body);
      return { status: 200, body: { itemId: result.record.id }, write: { entity: def.name, method: 'POST', result } };
    }
    if (req.method === 'PATCH' || req.method === 'PUT') {
      const result = updateRecord(wctx, def, req.body, req.method === 'PATCH' ? 'patch' : 'put');
      return { status: 200, body: { itemId: result.record.id }, write: { entity: def.name, method: req.method, result } };
    }
    throw notAllowed(req.method);
  }
  if (head === 'query') return queryRoutes(ctx, def, req, rest.slice(1));
  if (head === 'entityinformation') {
    if (req.method !== 'GET') throw notAllowed(req.method);
    const sub = rest[1]?.toLowerCase();
    if (rest.length === 1) {
      return { status: 200, body: { info: { name: def.singular, canCreate: def.canCreate, canDelete: def.canDelete,
        canQuery: def.canQuery, canUpdate: def.canUpdate, hasUserDefinedFields: def.udfs,
        supportsWebhookCallouts: def.webhooks, userAccessForCreate: def.canCreate ? 'All' : 'None',
        userAccessForDelete: def.canDelete ? 'All' : 'None', userAccessForQuery: 'All',
        userAccessForUpdate: def.canUpdate ? 'All' : 'None' } } };
    }
    if (rest.length === 2 && sub === 'fields') return { status: 200, body: { fields: fieldsJson(ctx.store, def) } };
    if (rest.length === 2 && sub === 'userdefinedfields') {
      // Same shape as /fields (docs/autotask-api.md#metadata); UDFs are strings unless the tenant says otherwise.
      const udfs = def.udfs ? ctx.store.settings.userDefinedFields[def.name] ?? [] : [];
      return { status: 200, body: { fields: udfs.map((u) => ({ name: u.name, dataType: u.dataType, length: 0, isRequired: false,
        isReadOnly: false, isQueryable: true, isReference: false, referenceEntityType: '', isPickList: false, picklistValues: null,
        picklistParentValueField: '', isSupportedWebhookField: false })) } };
    }
    throw new RouteError(404, `No HTTP resource was found that matches the request URI '${req.rawUrl}'.`);
  }
  const id = parseId(rest[0]);
  if (id === null) throw new RouteError(404, `No HTTP resource was found that matches the request URI '${req.rawUrl}'.`);
  if (rest.length > 1) return childRoutes(ctx, def, id, req, rest.slice(1));
  if (req.method === 'GET') {
    // A real tenant answers a missing id with 200 and a null item, not 404 (docs/autotask-samples.md, "Reading").
    return { status: 200, body: { item: ctx.store.get(def.name, id) ?? null } };
  }
  if (req.method === 'DELETE') {
    const result = deleteRecord(wctx, def, id);
    return { status: 200, body: { itemId: id }, write: { entity: def.name, method: 'DELETE', result } };
  }
  // PATCH /{Entity}/{id} does not exist (docs/autotask-api.md#writing): the id goes in the body of PATCH /{Entity}.
  throw notAllowed(req.method);
}
