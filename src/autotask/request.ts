/**
 * The path of every Autotask call: zone → slot (governor.acquire) → HTTP → classify, wrapped in p-retry,
 * plus the once-per-request zone re-lookup after a 401 and the occasional ThresholdInformation refresh.
 *
 * The slot is held only for the HTTP exchange, never across a backoff, so a retrying request does not
 * starve the other two slots of its endpoint (docs/autotask-api.md#thread-limit: 3 per integration per endpoint).
 */
import type { Logger } from 'pino';
import type { TenantConfig } from '../../config/schema.js';
import { classifyFailure, classifyMalformed, classifyResponse, type Classification, type Operation } from './classify.js';
import { AutotaskAuthError, AutotaskError, AutotaskThreadLimitError, AutotaskThresholdExceededError } from './errors.js';
import type { ClientMetrics } from './metrics.js';
import { countRequest } from './request-tally.js';
import { markRetry, withRetry, type RetryPolicy, type Sleep } from './retry.js';
import { thresholdInformationSchema, zoneInformationSchema, type ThresholdInformation } from './schemas/index.js';
import { authHeaders, TransportFailure, type HttpAnswer, type HttpMethod, type Transport } from './transport.js';
import type { RateGovernor, SlotLease } from './types.js';
import { ZoneResolver } from './zone.js';

/** Thrown by a RequestSpec's `parse` when a 2xx body lacks what the route returns. */
export class MalformedAnswer extends Error {}

function hasErrors(body: unknown): boolean {
  if (!body || typeof body !== 'object') return false;
  const errors = (body as { errors?: unknown }).errors;
  return Array.isArray(errors) && errors.some((e) => (typeof e === 'string' && e.trim() !== '') || (typeof e === 'object' && e !== null));
}

export interface RequestSpec<T> {
  method: HttpMethod;
  /** Governor slot key and metrics label: the entity (or `Parent/Child`, `ThresholdInformation`). */
  endpoint: string;
  /** Relative to the REST root, e.g. `V1.0/Tickets/query`. */
  path?: string;
  /** Absolute and already checked against the tenant's origin (nextPageUrl). */
  url?: string;
  body?: unknown;
  operation: Operation;
  parse: (body: unknown) => T;
  signal?: AbortSignal | undefined;
  /** ImpersonationResourceId for this write only (overrides the tenant's). */
  impersonateResourceId?: number | undefined;
}

export interface RequesterDeps {
  tenant: TenantConfig;
  policy: RetryPolicy;
  zoneCacheMs: number;
  thresholdRetryMs: number;
  transport: Transport;
  metrics: ClientMetrics;
  logger: Logger;
  governor?: RateGovernor | undefined;
  now?: () => number;
  sleep?: Sleep;
  zoneCache?: Map<string, { root: string; expiresAt: number }>;
  /**
   * autotask.slotReleaseDelayMs: the slot stays counted this long after the answer arrived (Autotask frees its
   * thread late; docs/autotask-api.md#thread-headroom). It delays only a caller that finds every slot taken.
   */
  slotReleaseDelayMs?: number;
}

/**
 * The exchange's outcome, or the signal's reason as soon as it aborts; an exchange left behind runs to its end
 * (its slot is released then) and its outcome is dropped.
 */
function untilAborted<T>(exchange: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      exchange.catch(() => undefined);
      reject(signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError'));
    };
    if (signal.aborted) { onAbort(); return; }
    signal.addEventListener('abort', onAbort, { once: true });
    exchange.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && (error.name === 'AbortError' || error.name === 'CanceledError'));
}

export class Requester {
  readonly zone: ZoneResolver;
  private readonly now: () => number;
  private thresholdRefresh: Promise<void> | null = null;
  private thresholdFailedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: RequesterDeps) {
    this.now = deps.now ?? Date.now;
    this.zone = new ZoneResolver(deps.tenant, deps.zoneCacheMs, (url, signal) => this.fetchZone(url, signal), this.now,
      deps.zoneCache);
  }

  restRoot(signal?: AbortSignal): Promise<string> {
    return this.zone.restRoot(signal);
  }

  async execute<T>(spec: RequestSpec<T>): Promise<T> {
    let relooked = false;
    for (;;) {
      try {
        return await withRetry(() => this.once(spec), {
          policy: this.deps.policy,
          signal: spec.signal,
          ...(this.deps.sleep ? { sleep: this.deps.sleep } : {}),
          onRetry: (error, attempt) => {
            this.deps.metrics.retry();
            this.deps.logger.warn({ entity: spec.endpoint, method: spec.method, code: error.code, attempt }, 'autotask call retried');
          },
        });
      } catch (error) {
        // docs/autotask-api.md#zones: look the zone up again once on a 401 — the tenant may have moved to another zone.
        const canRelookup = !relooked && spec.path !== undefined && !this.zone.fixed;
        if (canRelookup && error instanceof AutotaskAuthError && error.status === 401) {
          relooked = true;
          this.deps.logger.info({ entity: spec.endpoint }, 'autotask 401: looking the zone up again');
          await this.zone.relookup(spec.signal);
          continue;
        }
        throw error;
      }
    }
  }

  /** GET /V1.0/ThresholdInformation, validated, fed to the governor. It counts against the budget too. */
  async readThreshold(signal?: AbortSignal): Promise<ThresholdInformation> {
    const info = await this.execute({ method: 'GET', endpoint: 'ThresholdInformation', path: 'V1.0/ThresholdInformation',
      operation: 'read', signal, parse: (body) => {
        const parsed = thresholdInformationSchema.safeParse(body);
        if (!parsed.success) throw new MalformedAnswer(`ThresholdInformation: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
        return parsed.data;
      } });
    this.deps.metrics.observeThreshold(info);
    await this.deps.governor?.observeThreshold(info);
    return info;
  }

  private async once<T>(spec: RequestSpec<T>): Promise<T> {
    if (spec.endpoint !== 'ThresholdInformation') await this.refreshThresholdIfStale();
    const url = spec.url ?? `${await this.zone.restRoot(spec.signal)}${spec.path ?? ''}`;
    const write = spec.method !== 'GET' && (spec.operation === 'create' || spec.operation === 'write');
    const facts = { operation: spec.operation, method: spec.method, entity: spec.endpoint };
    const lease = this.deps.governor ? await this.deps.governor.acquire(spec.endpoint, spec.signal) : undefined;
    // Stopped while the slot was being taken: nothing is sent, and the slot goes back without cooling.
    if (spec.signal?.aborted) {
      await lease?.release(0);
      spec.signal.throwIfAborted();
    }
    this.deps.metrics.started(spec.endpoint);
    const started = this.now();
    // Once sent, a request is never cut off at the HTTP level: Autotask keeps working on it, and keeps its thread
    // counted, until it answers, whatever the client does. A write is let finish because aborting it would leave
    // unknown whether it landed (a stop request takes effect at the caller's next safe point, after the write is
    // recorded); a read is let finish in the background so its slot stays held until the thread is free — the
    // caller stops waiting at once. Both are bounded by requestTimeoutMs.
    const exchange = this.exchange(spec, url, write, lease);
    let answer: HttpAnswer;
    try {
      answer = write || !spec.signal ? await exchange : await untilAborted(exchange, spec.signal);
    } catch (error) {
      if (!(error instanceof TransportFailure) || isAbort(error, spec.signal)) throw error;
      throw this.raise(classifyFailure({ ...facts, code: error.code, message: error.message }));
    }
    this.deps.logger.debug({ entity: spec.endpoint, method: spec.method, status: answer.status, ms: this.now() - started },
      'autotask call');
    return this.interpret(spec, answer);
  }

  /**
   * One HTTP exchange, counted and measured, holding the slot until it settles. The slot is then given back at
   * once but stays counted for the cooling (Redis holds it, not a timer of ours) from the moment the answer
   * arrived, so the time spent parsing it is part of the cooling, not added to it. No answer (a timeout, a reset,
   * cut at process stop): the server may still be working on it, so the whole cooling applies.
   */
  private async exchange(spec: RequestSpec<unknown>, url: string, write: boolean, lease: SlotLease | undefined): Promise<HttpAnswer> {
    let answer: HttpAnswer | undefined;
    // Counted here, where it goes out, so the run that sent it pays for it even when it stopped waiting for it.
    countRequest(spec.endpoint, spec.method);
    try {
      answer = await this.deps.transport.send({ method: spec.method, url, body: spec.body, write,
        headers: authHeaders(this.deps.tenant, write, spec.impersonateResourceId) });
      this.deps.metrics.request(spec.endpoint, spec.method, String(answer.status));
      return answer;
    } catch (error) {
      if (error instanceof TransportFailure) this.deps.metrics.request(spec.endpoint, spec.method, error.code);
      throw error;
    } finally {
      this.deps.metrics.finished(spec.endpoint);
      const delay = this.deps.slotReleaseDelayMs ?? 0;
      const since = answer?.receivedAt === undefined ? 0 : performance.now() - answer.receivedAt;
      await lease?.release(Math.max(0, delay - since));
    }
  }

  private interpret<T>(spec: RequestSpec<T>, answer: HttpAnswer): T {
    const facts = { operation: spec.operation, method: spec.method, entity: spec.endpoint, status: answer.status };
    // Autotask also answers HTTP 200 with `{"errors":[…]}` (issue 14 item 12): the errors array decides, whatever
    // the status, so the failure is classified (validation, permission, threshold…) and carries Autotask's text.
    if (answer.status < 200 || answer.status >= 300 || hasErrors(answer.body)) {
      const c = classifyResponse({ ...facts, body: answer.body, retryAfter: answer.retryAfter, now: this.now() });
      if (c.error instanceof AutotaskThreadLimitError) {
        this.deps.metrics.throttle();
        void this.deps.governor?.noteThreadLimit(spec.endpoint);
      }
      // Every 429 (thread limit or hourly threshold) goes into the shared hourly history the console shows.
      if (answer.status === 429 || c.error instanceof AutotaskThreadLimitError || c.error instanceof AutotaskThresholdExceededError) {
        void this.deps.governor?.noteThrottled();
      }
      throw this.raise(c);
    }
    if (answer.notJson) throw this.raise(classifyMalformed(facts, 'not JSON'));
    try {
      return spec.parse(answer.body);
    } catch (error) {
      if (error instanceof MalformedAnswer) throw this.raise(classifyMalformed(facts, error.message));
      throw error;
    }
  }

  private raise(c: Classification): AutotaskError {
    return markRetry(c.error, c.retry);
  }

  /** The zone call carries no credentials (docs/autotask-api.md#zones) and takes no slot: it is not an entity endpoint. */
  private async fetchZone(url: string, signal?: AbortSignal): Promise<string> {
    const facts = { operation: 'zone' as const, method: 'GET', entity: 'zoneInformation' };
    let answer: HttpAnswer;
    try {
      answer = await this.deps.transport.send({ method: 'GET', url, signal, headers: { Accept: 'application/json' } });
    } catch (error) {
      if (!(error instanceof TransportFailure) || isAbort(error, signal)) throw error;
      throw this.raise(classifyFailure({ ...facts, code: error.code, message: error.message }));
    }
    return this.interpret({ ...facts, method: 'GET', endpoint: 'zoneInformation', parse: (body) => {
      const parsed = zoneInformationSchema.safeParse(body);
      if (!parsed.success) throw new MalformedAnswer('zoneInformation without a valid url');
      return parsed.data.url;
    } }, answer);
  }

  /**
   * The governor says when its view of the tenant's total is stale (config.autotask.thresholdRefreshMs).
   * At most one refresh is in flight; after a failure we wait thresholdRetryMs before trying again, so a
   * failing ThresholdInformation never doubles the request count. A failed refresh does not fail the caller.
   * Callers that arrive while a refresh is in flight wait for it too: the governor told only the first caller
   * "stale", and the others would otherwise be admitted on the old estimate — on a first start that is no
   * estimate at all (the default threshold, nobody else's usage), which let a burst of concurrent first
   * requests pass a tenant already at its ceiling.
   */
  private async refreshThresholdIfStale(): Promise<void> {
    const governor = this.deps.governor;
    if (!governor) return;
    if (!governor.thresholdStale()) {
      if (this.thresholdRefresh) await this.thresholdRefresh;
      return;
    }
    if (!this.thresholdRefresh) {
      if (this.now() - this.thresholdFailedAt < this.deps.thresholdRetryMs) return;
      this.thresholdRefresh = this.readThreshold()
        .then(() => undefined)
        .catch((error: unknown) => {
          this.thresholdFailedAt = this.now();
          this.deps.logger.warn({ code: error instanceof AutotaskError ? error.code : undefined,
            err: error }, 'autotask ThresholdInformation refresh failed');
        })
        .finally(() => { this.thresholdRefresh = null; });
    }
    await this.thresholdRefresh;
  }
}
