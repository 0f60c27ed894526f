/**
 * The Autotask REST client of one tenant (the AutotaskClient contract of types.ts). It composes the pieces:
 * request.ts (zone, slot, HTTP, classification, retries), query.ts / partitions.ts (reading), metadata.ts
 * (cached metadata), validate.ts (every record through its entity schema) and metrics.ts.
 */
import type { Logger } from 'pino';
import type { AppConfig, TenantConfig } from '../../config/schema.js';
import { InputError } from '../lib/errors.js';
import { silentLogger } from '../lib/logger.js';
import { registerSecrets } from '../lib/redact.js';
import { AutotaskNotFoundError } from './errors.js';
import { countUdf, f, MAX_IN_VALUES, normalizeFilter } from './filter.js';
import { MetadataCache } from './metadata.js';
import { ClientMetrics } from './metrics.js';
import { partitionedPages } from './partitions.js';
import { idPages, nextUrlPages, type PageReadDefaults } from './query.js';
import { MalformedAnswer, Requester } from './request.js';
import type { Sleep } from './retry.js';
import type { EntityName } from './schemas/index.js';
import { createAxiosTransport, type Transport } from './transport.js';
import type { AutotaskClient, FilterItem, QueryOptions, RateGovernor } from './types.js';
import { validateRecord } from './validate.js';
import { webRootOf } from './web-links.js';

export interface AutotaskClientOptions {
  tenant: TenantConfig;
  settings: AppConfig['autotask'];
  /** The tenant's shared rate governor; without one nothing is limited (unit tests, one-off tools). */
  governor?: RateGovernor;
  logger?: Logger;
  /** Replaces the axios transport (benchmarks that count exchanges). */
  transport?: Transport;
  /** Clock and sleep, for tests of Retry-After and caches. */
  now?: () => number;
  sleep?: Sleep;
  /** The zone cache; by default one per process shared by every client of the same user. */
  zoneCache?: Map<string, { root: string; expiresAt: number }>;
}

function itemIdOf(body: unknown): number {
  const itemId = body && typeof body === 'object' ? (body as { itemId?: unknown }).itemId : undefined;
  if (typeof itemId !== 'number' || !Number.isInteger(itemId)) throw new MalformedAnswer('write answer without an itemId');
  return itemId;
}

function checkFilter(entity: string, items: FilterItem[]): FilterItem[] {
  // docs/autotask-api.md#query-filters: `udf: true` marks a user-defined field, one per query.
  if (countUdf(items) > 1) throw new InputError(`${entity} query: at most one user-defined field per query`, { entity });
  return items;
}

function checkId(what: string, id: number): void {
  if (!Number.isInteger(id) || id < 0) throw new InputError(`${what}: not a record id: ${String(id)}`, { id });
}

export function createAutotaskClient(options: AutotaskClientOptions): AutotaskClient {
  const { tenant, settings } = options;
  registerSecrets([tenant.secret, tenant.integrationCode]);
  const logger = (options.logger ?? silentLogger()).child({ tenant: tenant.id, component: 'autotask' });
  const metrics = new ClientMetrics(options.governor, settings.budgetFraction, options.now);
  const requester = new Requester({
    tenant,
    policy: { retries: settings.retries, retryMinMs: settings.retryMinMs, retryMaxMs: settings.retryMaxMs },
    zoneCacheMs: settings.zoneCacheMs,
    slotReleaseDelayMs: settings.slotReleaseDelayMs,
    thresholdRetryMs: Math.min(settings.thresholdRefreshMs, 60_000),
    transport: options.transport ?? createAxiosTransport({ timeoutMs: settings.requestTimeoutMs }),
    metrics,
    logger,
    governor: options.governor,
    ...(options.now ? { now: options.now } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.zoneCache ? { zoneCache: options.zoneCache } : {}),
  });
  const metadata = new MetadataCache(requester);
  const defaults: PageReadDefaults = { pageSize: settings.pageSize };

  const count = (entity: EntityName, filter: FilterItem | FilterItem[], signal?: AbortSignal): Promise<number> =>
    requester.execute({ method: 'POST', endpoint: entity, path: `V1.0/${entity}/query/count`, operation: 'read', signal,
      body: { filter: checkFilter(entity, normalizeFilter(filter)) },
      parse: (body) => {
        const n = body && typeof body === 'object' ? (body as { queryCount?: unknown }).queryCount : undefined;
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new MalformedAnswer('count answer without queryCount');
        return n;
      } });

  function queryPages<E extends EntityName>(entity: E, filter: FilterItem | FilterItem[], queryOptions: QueryOptions = {}) {
    const items = checkFilter(entity, normalizeFilter(filter));
    return queryOptions.paging === 'nextPageUrl'
      ? nextUrlPages(requester, entity, items, queryOptions, defaults)
      : idPages(requester, entity, items, queryOptions, defaults);
  }

  const client: AutotaskClient = {
    tenantId: tenant.id,

    async *query(entity, filter, queryOptions) {
      for await (const page of queryPages(entity, filter, queryOptions)) yield* page;
    },

    queryPages,

    queryPartitioned(entity, filter, partitionOptions = {}) {
      return partitionedPages({ requester, defaults, slots: settings.threadsPerEndpoint,
        count: (items, signal) => count(entity, items, signal) }, entity, checkFilter(entity, normalizeFilter(filter)), partitionOptions);
    },

    async *queryIn(entity, field, values, extra = [], queryOptions = {}) {
      const unique = [...new Set(values)];
      // An `id in (…)` batch matches at most one record per value: stop after that many, saving the empty page.
      const byId = field.toLowerCase() === 'id';
      for (let start = 0; start < unique.length; start += MAX_IN_VALUES) {
        const batch = unique.slice(start, start + MAX_IN_VALUES);
        const items = checkFilter(entity, [...extra, f.in(field, batch)]);
        const pages = idPages(requester, entity, items, { ...queryOptions, ...(byId ? { atMost: batch.length } : {}) }, defaults);
        for await (const page of pages) yield* page;
      }
    },

    count,

    async get(entity, id, signal) {
      checkId(`${entity} get`, id);
      try {
        const raw = await requester.execute({ method: 'GET', endpoint: entity, path: `V1.0/${entity}/${id}`, operation: 'get', signal,
          parse: (body) => {
            if (!body || typeof body !== 'object' || !('item' in body)) throw new MalformedAnswer('get answer without item');
            return (body as { item: unknown }).item;
          } });
        return raw === null || raw === undefined ? null : validateRecord(entity, raw);
      } catch (error) {
        if (error instanceof AutotaskNotFoundError) return null;
        throw error;
      }
    },

    create(entity, body, signal, options) {
      return requester.execute({ method: 'POST', endpoint: entity, path: `V1.0/${entity}`, operation: 'create', body, signal,
        impersonateResourceId: options?.impersonateResourceId, parse: itemIdOf });
    },

    update(entity, body, signal) {
      checkId(`${entity} update`, body.id);
      // docs/autotask-api.md#writing: partial update is PATCH on the collection with `id` in the body; there is no PATCH /{Entity}/{id}.
      return requester.execute({ method: 'PATCH', endpoint: entity, path: `V1.0/${entity}`, operation: 'write', body, signal,
        parse: itemIdOf });
    },

    createChild(parent, parentId, child, body, signal) {
      checkId(`${parent} ${child} create`, parentId);
      if (!/^[A-Za-z]+$/.test(child)) throw new InputError(`not a child entity name: ${child}`, { child });
      return requester.execute({ method: 'POST', endpoint: `${parent}/${child}`, path: `V1.0/${parent}/${parentId}/${child}`,
        operation: 'create', body, signal, parse: itemIdOf });
    },

    entityInformation: (entity) => metadata.entityInformation(entity),
    fields: (entity, signal) => metadata.fields(entity, signal),
    userDefinedFields: (entity) => metadata.userDefinedFields(entity),
    picklist: (entity, field, signal) => metadata.picklist(entity, field, signal),
    thresholdInformation: (signal) => requester.readThreshold(signal),
    metrics: () => metrics.snapshot(),
    webRoot: async (signal) => webRootOf(await requester.restRoot(signal)),
    async usageHistory() {
      return options.governor ? await options.governor.history() : null;
    },
    async budget() {
      if (!options.governor) return metrics.snapshot().budget;
      const g = await options.governor.snapshot();
      return { used: g.used, ceiling: g.ceiling, threshold: g.threshold, left: g.left };
    },
  };
  return client;
}
