/**
 * In-process counters of one client (one tenant): requests by entity/method/status, in-process retries,
 * throttled answers (429 / thread limit), requests in flight per endpoint, and the last governor snapshot.
 * `metrics()` of the client interface is synchronous while the governor's snapshot reads Redis, so the
 * snapshot is refreshed in the background (after requests, at most once a second, and on every read) and
 * the last one is reported. Without a governor the budget comes from the last ThresholdInformation read.
 */
import type { ThresholdInformation } from './schemas/index.js';
import type { ClientMetricsSnapshot, RateGovernor } from './types.js';

type GovernorSnapshot = Awaited<ReturnType<RateGovernor['snapshot']>>;

export class ClientMetrics {
  private readonly requests = new Map<string, { entity: string; method: string; status: string; count: number }>();
  private readonly inFlight = new Map<string, number>();
  private retries = 0;
  private throttled = 0;
  private threshold: ThresholdInformation | null = null;
  private governorSnapshot: GovernorSnapshot | null = null;
  private snapshotAt = 0;
  private refreshing = false;
  private trailing: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly governor: RateGovernor | undefined,
    private readonly budgetFraction: number,
    private readonly now: () => number = Date.now,
  ) {}

  request(entity: string, method: string, status: string): void {
    const key = `${entity}\u0000${method}\u0000${status}`;
    const entry = this.requests.get(key);
    if (entry) entry.count += 1;
    else this.requests.set(key, { entity, method, status, count: 1 });
    this.refreshGovernor(false);
  }

  retry(): void {
    this.retries += 1;
  }

  throttle(): void {
    this.throttled += 1;
  }

  started(endpoint: string): void {
    this.inFlight.set(endpoint, (this.inFlight.get(endpoint) ?? 0) + 1);
  }

  finished(endpoint: string): void {
    const left = (this.inFlight.get(endpoint) ?? 1) - 1;
    if (left <= 0) this.inFlight.delete(endpoint);
    else this.inFlight.set(endpoint, left);
  }

  observeThreshold(info: ThresholdInformation): void {
    this.threshold = info;
    this.refreshGovernor(true);
  }

  snapshot(): ClientMetricsSnapshot {
    this.refreshGovernor(true);
    const requests = [...this.requests.values()].map((r) => ({ ...r }))
      .sort((a, b) => a.entity.localeCompare(b.entity) || a.method.localeCompare(b.method) || a.status.localeCompare(b.status));
    const g = this.governorSnapshot;
    if (g) {
      return { requests, retries: this.retries, throttled: this.throttled,
        budget: { used: g.used, ceiling: g.ceiling, threshold: g.threshold, left: g.left }, slotsInUse: { ...g.slotsInUse } };
    }
    const threshold = this.threshold?.externalRequestThreshold ?? null;
    const used = this.threshold?.currentTimeframeRequestCount ?? 0;
    const ceiling = threshold === null ? 0 : Math.floor(threshold * this.budgetFraction);
    return { requests, retries: this.retries, throttled: this.throttled,
      budget: { used, ceiling, threshold, left: Math.max(0, ceiling - used) }, slotsInUse: Object.fromEntries(this.inFlight) };
  }

  private refreshGovernor(force: boolean): void {
    const governor = this.governor;
    if (!governor) return;
    const wait = 1_000 - (this.now() - this.snapshotAt);
    if (this.refreshing || (!force && wait > 0)) {
      // A trailing refresh, so the figures after a burst of requests are not those of its first second.
      if (!this.trailing) {
        this.trailing = setTimeout(() => {
          this.trailing = null;
          this.refreshGovernor(true);
        }, Math.max(wait, 50));
        this.trailing.unref();
      }
      return;
    }
    this.refreshing = true;
    this.snapshotAt = this.now();
    governor.snapshot()
      .then((snapshot) => { this.governorSnapshot = snapshot; })
      // A metrics read must never fail a request; the previous snapshot stays.
      .catch(() => undefined)
      .finally(() => { this.refreshing = false; });
  }
}
