/**
 * What the sandbox saw, for tests to assert on what a client actually sent (issue 3 "A request log and
 * counters"): per endpoint requests, the highest concurrency reached, 429s; writes by entity and method;
 * injected faults; and a bounded log of requests (never headers, so never credentials).
 */
export type WriteMethod = 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface EndpointStats {
  requests: number;
  /** Highest number of requests in flight at once on this endpoint (for this sandbox, all integration codes). */
  maxConcurrency: number;
  inFlight: number;
  /** 429s from the thread limit. */
  threadLimited: number;
  /** 429s from the hourly request threshold. */
  thresholdLimited: number;
  /** Answers by HTTP status ("200", "500", …). */
  statuses: Record<string, number>;
}

export interface SandboxStats {
  totalRequests: number;
  endpoints: Record<string, EndpointStats>;
  /** Writes applied to the tenant, by entity then method. */
  writes: Record<string, Partial<Record<WriteMethod, number>>>;
  faults: { error500: number; reset: number; timeout: number; lostResponse: number; lateWrite: number };
  status429: number;
  webhooks: { sent: number; delivered: number; failed: number };
}

export type RequestOutcome = 'answered' | 'reset' | 'timeout' | 'lost' | 'aborted';

export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  /** Path and query as received (the search parameter included). */
  path: string;
  /** Endpoint segment ("Tickets", "ThresholdInformation", "zoneInformation"), null for unknown routes. */
  entity: string | null;
  /** The status sent, or that would have been sent for a lost response; null when none was chosen. */
  status: number | null;
  outcome: RequestOutcome;
  durationMs: number;
  requestBytes: number;
  responseBytes: number;
  /** Parsed JSON request body (queries and writes), for assertions on what the client sent. */
  body?: unknown;
  /** Error texts of an error answer. */
  errors?: string[];
}

function emptyEndpoint(): EndpointStats {
  return { requests: 0, maxConcurrency: 0, inFlight: 0, threadLimited: 0, thresholdLimited: 0, statuses: {} };
}

export class StatsRecorder {
  private stats: SandboxStats = StatsRecorder.empty();
  readonly log: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly logLimit: number) {}

  static empty(): SandboxStats {
    return { totalRequests: 0, endpoints: {}, writes: {}, faults: { error500: 0, reset: 0, timeout: 0, lostResponse: 0, lateWrite: 0 },
      status429: 0, webhooks: { sent: 0, delivered: 0, failed: 0 } };
  }

  endpoint(name: string): EndpointStats {
    const existing = this.stats.endpoints[name];
    if (existing) return existing;
    const created = emptyEndpoint();
    this.stats.endpoints[name] = created;
    return created;
  }

  request(): void {
    this.stats.totalRequests += 1;
  }

  enter(name: string): void {
    const ep = this.endpoint(name);
    ep.inFlight += 1;
    ep.maxConcurrency = Math.max(ep.maxConcurrency, ep.inFlight);
  }

  leave(name: string): void {
    const ep = this.endpoint(name);
    ep.inFlight = Math.max(0, ep.inFlight - 1);
  }

  status(name: string | null, status: number): void {
    if (status === 429) this.stats.status429 += 1;
    if (!name) return;
    const ep = this.endpoint(name);
    ep.statuses[String(status)] = (ep.statuses[String(status)] ?? 0) + 1;
  }

  write(entity: string, method: WriteMethod): void {
    const byMethod = this.stats.writes[entity] ?? {};
    byMethod[method] = (byMethod[method] ?? 0) + 1;
    this.stats.writes[entity] = byMethod;
  }

  fault(kind: keyof SandboxStats['faults']): void {
    this.stats.faults[kind] += 1;
  }

  webhook(kind: keyof SandboxStats['webhooks']): void {
    this.stats.webhooks[kind] += 1;
  }

  append(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    this.seq += 1;
    const logged = { seq: this.seq, ...entry };
    this.log.push(logged);
    // Trim in batches so a long run stays O(1) amortised per request.
    if (this.log.length > this.logLimit + Math.max(16, this.logLimit >> 2)) this.log.splice(0, this.log.length - this.logLimit);
    return logged;
  }

  snapshot(): SandboxStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    const inFlight = Object.fromEntries(Object.entries(this.stats.endpoints).map(([k, v]) => [k, v.inFlight]));
    this.stats = StatsRecorder.empty();
    for (const [name, count] of Object.entries(inFlight)) if (count > 0) this.endpoint(name).inFlight = count;
    this.log.length = 0;
  }
}
