/**
 * Shared pieces of the client's unit tests: a tenant, fast settings, and a tiny in-memory Autotask query
 * endpoint for nock that filters with the sandbox's own evaluator (src/sandbox/filter.ts) and counts requests.
 */
import nock from 'nock';
import type { TenantConfig } from '../../../config/schema.js';
import { autotaskSection } from '../../../config/sections/autotask.js';
import { createAutotaskClient, type AutotaskClientOptions } from '../../../src/autotask/index.js';
import type { FilterItem, RateGovernor, SlotLease } from '../../../src/autotask/types.js';
import { findEntity } from '../../../src/sandbox/entities.js';
import { compileFilter } from '../../../src/sandbox/filter.js';
import type { SandboxRecord } from '../../../src/sandbox/types.js';

export const ROOT = 'https://webservices5.autotask.net/ATServicesRest/';
export const ORIGIN = 'https://webservices5.autotask.net';
export const ZONE_ORIGIN = 'https://webservices.autotask.net';
export const SECRET = 'Xq9!unit-secret-value';
export const CODE = 'UNITINTEGRATIONCODE0001';

export function tenant(overrides: Partial<TenantConfig> = {}): TenantConfig {
  return { id: 'unit', username: 'api@example.com', secret: SECRET, integrationCode: CODE,
    zoneUrl: 'https://webservices.autotask.net/ATServicesRest/', baseUrl: ROOT, ...overrides };
}

export function settings(overrides: Partial<ReturnType<typeof autotaskSection.parse>> = {}) {
  // Slots given back without cooling, so the governor's events read plainly (slot-cooling.test.ts covers the cooling).
  return { ...autotaskSection.parse({}), retries: 3, retryMinMs: 1, retryMaxMs: 5, slotReleaseDelayMs: 0, ...overrides };
}

export function client(overrides: Partial<AutotaskClientOptions> = {}) {
  return createAutotaskClient({ tenant: tenant(), settings: settings(), zoneCache: new Map(), ...overrides });
}

export function ticket(id: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, ticketNumber: `T2026.${id}`, title: `Ticket ${id}`, companyID: 1, status: 1,
    createDate: '2026-11-02T14:05:33.217Z', ...extra };
}

export interface QueryBody { filter: FilterItem[]; MaxRecords: number; IncludeFields?: string[] }

/** A nock-served `POST /V1.0/{entity}/query` (and `/query/count`) over `records`; `bodies` collects what was sent. */
export function fakeQueryEndpoint(entity: string, records: Record<string, unknown>[], options: { latencyMs?: number } = {}) {
  const bodies: QueryBody[] = [];
  const counts: FilterItem[][] = [];
  const stats = { inFlight: 0, maxInFlight: 0 };
  // The sandbox's own filter compiler: the same evaluator (and the same refusals) the integration tests meet.
  const def = findEntity(entity);
  if (!def) throw new Error(`fake endpoint: ${entity} is not a sandbox entity`);
  const select = (filter: FilterItem[]) => {
    const { test } = compileFilter(def, filter);
    return records.filter((r) => test(r as SandboxRecord)).sort((a, b) => (a.id as number) - (b.id as number));
  };
  nock(ORIGIN).persist().post(`/ATServicesRest/V1.0/${entity}/query`).reply((_uri, body, callback) => {
    const b = body as QueryBody;
    bodies.push(b);
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    const items = select(b.filter).slice(0, b.MaxRecords);
    setTimeout(() => {
      stats.inFlight -= 1;
      callback(null, [200, { items, pageDetails: { count: items.length, requestCount: b.MaxRecords, prevPageUrl: null, nextPageUrl: null } }]);
    }, options.latencyMs ?? 0);
  });
  nock(ORIGIN).persist().post(`/ATServicesRest/V1.0/${entity}/query/count`).reply((_uri, body) => {
    const b = body as { filter: FilterItem[] };
    counts.push(b.filter);
    return [200, { queryCount: select(b.filter).length }];
  });
  return { bodies, counts, stats };
}

/** An in-memory RateGovernor that records what the client asks of it. */
export function recordingGovernor(options: { stale?: boolean; acquire?: (endpoint: string) => Promise<void> } = {}) {
  const events: string[] = [];
  /** The cooling asked of each release that asked for one (autotask.slotReleaseDelayMs), in order. */
  const coolings: number[] = [];
  let stale = options.stale ?? false;
  const governor: RateGovernor & { events: string[]; coolings: number[] } = {
    events,
    coolings,
    async acquire(endpoint): Promise<SlotLease> {
      await options.acquire?.(endpoint);
      events.push(`acquire ${endpoint}`);
      return {
        release: async (coolMs = 0) => {
          if (coolMs > 0) coolings.push(coolMs);
          events.push(coolMs > 0 ? `release ${endpoint} cooling` : `release ${endpoint}`);
        },
      };
    },
    async observeThreshold(info) {
      stale = false;
      events.push(`observe ${info.currentTimeframeRequestCount}/${info.externalRequestThreshold}`);
    },
    thresholdStale: () => stale,
    async snapshot() {
      return { used: 12, ceiling: 5000, threshold: 10_000, left: 4988, slotsInUse: { Tickets: 1 } };
    },
    // The hourly history lives in Redis (test/integration/governor); this governor keeps none.
    noteThrottled: async () => undefined,
    noteThreadLimit: async (endpoint: string) => { events.push(`thread-limit ${endpoint}`); },
    history: async () => [],
  };
  return governor;
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}
