/**
 * The contract between the Autotask client and everything that uses it (jobs, readiness checks, the runtime).
 * Only src/autotask implements it; tests may hand jobs a client pointed at the sandbox, never a fake.
 */
import type { HourUsage } from './governor-history.js';
import type { EntityName, EntityRecord, EntityInformation, FieldInformation, PicklistValue, ThresholdInformation } from './schemas/index.js';

export type FilterOp = 'eq' | 'noteq' | 'gt' | 'gte' | 'lt' | 'lte' | 'beginsWith' | 'endsWith' | 'contains'
  | 'exist' | 'notExist' | 'in' | 'notIn';

export interface WriteOptions {
  impersonateResourceId?: number;
}

/** A filter item of docs/autotask-api.md#query-filters: `{op, field, value}` (udf: true for a user-defined field) or an and/or group. */
export type FilterCondition = { op: FilterOp; field: string; value?: unknown; udf?: boolean };
export type FilterGroup = { op: 'and' | 'or'; items: FilterItem[] };
export type FilterItem = FilterCondition | FilterGroup;

export interface QueryOptions {
  /** Page size (MaxRecords), 1..500; defaults to config.autotask.pageSize. */
  pageSize?: number;
  includeFields?: string[];
  signal?: AbortSignal;
  /** Called after each page with the number of items it held. */
  onPage?: (items: number) => void;
  /**
   * 'id' (default): repeat the query with `id gt <largest id seen>` until a short page.
   * 'nextPageUrl': POST the same body to `pageDetails.nextPageUrl` (never a GET) until there is none.
   */
  paging?: 'id' | 'nextPageUrl';
}

/** Where one partition of a partitioned read stands: records with afterId < id ≤ upTo (null = no upper bound) remain. */
export interface PartitionCursor {
  afterId: number;
  upTo: number | null;
}

export interface PartitionedQueryOptions extends QueryOptions {
  /** How many id-range partitions to read concurrently (bounded by the endpoint's slots). */
  partitions?: number;
  /** Continue a read that stopped (crash, abort): the partitions still open, each from its last consumed id. */
  resume?: PartitionCursor[];
  /**
   * Called when the consumer has taken a page (i.e. when it asks for the next one, so the page is stored), with the
   * partitions still open. Persist it to resume after a crash without re-reading what was stored.
   */
  onCheckpoint?: (open: PartitionCursor[]) => Promise<void>;
  /** Where the last complete read's pages ended: plans this read's chains without a count (src/autotask/id-profile.ts). */
  profile?: IdProfile;
  /** Called once a read that ran from its start has returned every page, with its profile for the next read. */
  onProfile?: (profile: IdProfile) => Promise<void>;
}

/** Where the pages of a complete partitioned read ended (docs/autotask-api.md#re-read-profile). */
export interface IdProfile {
  pageSize: number;
  /** Ascending: the id of every `pageSize`-th record of the read (the last id of each of its full pages). */
  boundaries: number[];
  /** Records the read returned. */
  total: number;
}

/** Counters the metrics endpoint exposes; one snapshot per tenant. */
export interface ClientMetricsSnapshot {
  requests: Array<{ entity: string; method: string; status: string; count: number }>;
  retries: number;
  throttled: number;
  budget: { used: number; ceiling: number; threshold: number | null; left: number };
  slotsInUse: Record<string, number>;
}

export interface AutotaskClient {
  readonly tenantId: string;
  /** Every matching record, ascending id, paging by `id gt <last id>`; validated against the entity schema. */
  query<E extends EntityName>(entity: E, filter: FilterItem | FilterItem[], options?: QueryOptions): AsyncIterable<EntityRecord<E>>;
  /** The same, a page at a time. */
  queryPages<E extends EntityName>(entity: E, filter: FilterItem | FilterItem[], options?: QueryOptions): AsyncIterable<EntityRecord<E>[]>;
  /** A full read split into id-range partitions read concurrently (pages arrive in no global order). */
  queryPartitioned<E extends EntityName>(entity: E, filter: FilterItem | FilterItem[], options?: PartitionedQueryOptions): AsyncIterable<EntityRecord<E>[]>;
  /** `field in (values)`, split into batches of ≤ 500 values (docs/autotask-api.md#query-filters: at most 500 OR conditions). */
  queryIn<E extends EntityName>(entity: E, field: string, values: readonly (number | string)[], extra?: FilterItem[], options?: QueryOptions): AsyncIterable<EntityRecord<E>>;
  count(entity: EntityName, filter: FilterItem | FilterItem[], signal?: AbortSignal): Promise<number>;
  /** null when Autotask answers 404. */
  get<E extends EntityName>(entity: E, id: number, signal?: AbortSignal): Promise<EntityRecord<E> | null>;
  /** POST → itemId. An ambiguous failure throws CreateOutcomeUnknownError: look before writing again. */
  /** `options.impersonateResourceId`: this one write is made as that resource (ImpersonationResourceId header). */
  create(entity: EntityName, body: Record<string, unknown>, signal?: AbortSignal, options?: WriteOptions): Promise<number>;
  /** PATCH with `id` in the body → itemId. */
  update(entity: EntityName, body: Record<string, unknown> & { id: number }, signal?: AbortSignal): Promise<number>;
  /** POST /{parent}/{parentId}/{child}, e.g. Tickets/{id}/Notes. */
  createChild(parent: EntityName, parentId: number, child: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<number>;
  entityInformation(entity: EntityName): Promise<EntityInformation>;
  fields(entity: EntityName, signal?: AbortSignal): Promise<FieldInformation[]>;
  /** The entity's user-defined fields (entityInformation/userDefinedFields), read fresh each time. */
  userDefinedFields(entity: EntityName): Promise<FieldInformation[]>;
  /** Active picklist values of one field, cached per tenant. */
  picklist(entity: EntityName, field: string, signal?: AbortSignal): Promise<PicklistValue[]>;
  thresholdInformation(signal?: AbortSignal): Promise<ThresholdInformation>;
  metrics(): ClientMetricsSnapshot;
  /** The tenant's web UI root, ending in '/', for links a person opens (docs/autotask-api.md#ticket-links). */
  webRoot(signal?: AbortSignal): Promise<string>;
  /**
   * The hourly budget now: a fresh read of the governor's figures in Redis (no Autotask request), or without a
   * governor the last ThresholdInformation read (docs/request-cost.md).
   */
  budget(): Promise<ClientMetricsSnapshot['budget']>;
  /**
   * Requests, 429 answers, budget holds and slot waits per hour over the last 24 h, from the governor's history in
   * Redis (every process of the deployment counts into it); null without a governor.
   */
  usageHistory(): Promise<HourUsage[] | null>;
}

/** A held slot of one endpoint; release it exactly once, in a finally. */
export interface SlotLease {
  /**
   * Gives the slot back. `coolMs` keeps it counted that much longer (docs/autotask-api.md#thread-headroom: Autotask
   * frees its thread a little after answering); other callers find it free after that, with no timer of ours.
   */
  release(coolMs?: number): Promise<void>;
}

/**
 * One per tenant, shared by every process through Redis (src/autotask/governor.ts):
 * at most `threadsPerEndpoint` requests in flight per entity endpoint, and the tenant's hourly budget.
 */
export interface RateGovernor {
  /**
   * Waits for a slot of `endpoint` (the entity name, e.g. "Tickets") and reserves one request of budget.
   * Throws BudgetExhaustedError (with retryAt) when the ceiling is reached; waiting for a slot honours `signal`.
   */
  acquire(endpoint: string, signal?: AbortSignal): Promise<SlotLease>;
  /** Feeds an answer of ThresholdInformation (the tenant's total, all integrations). */
  observeThreshold(info: ThresholdInformation): Promise<void>;
  /** True when ThresholdInformation should be read again (config.autotask.thresholdRefreshMs). */
  thresholdStale(): boolean;
  /** Budget and slot figures for /metrics. */
  snapshot(): Promise<{ used: number; ceiling: number; threshold: number | null; left: number; slotsInUse: Record<string, number> }>;
  /** Counts an answer 429 from Autotask in the hourly history shared by every process; never throws. */
  noteThrottled(): Promise<void>;
  /**
   * A thread-limit 429 on `endpoint`: the server frees threads later than the slots cool, so the tenant's slots
   * cool longer for a while (docs/autotask-api.md#thread-headroom); never throws.
   */
  noteThreadLimit(endpoint: string): Promise<void>;
  /** The hourly history of the last 24 h (governor-history.ts), oldest hour first. */
  history(): Promise<HourUsage[]>;
}
