/**
 * The two limits of docs/autotask-api.md#thread-limit and #request-threshold:
 * - thread limit: at most N (3) requests in flight per integration code per entity endpoint; the next one is
 *   answered 429 at once with the "thread threshold … exceeded" text (zoneInformation is exempt,
 *   ThresholdInformation is not);
 * - request threshold: a rolling hour of requests per tenant; latency is added from 50% (0.5 s) and 75% (1 s)
 *   of it, and past it every request gets 429 until the window slides.
 */
export class ThreadLimiter {
  private readonly inFlight = new Map<string, number>();

  /**
   * Server-side lag between sending an answer and freeing its thread: other clients report 429 "thread threshold"
   * with 3 slots released the moment an answer arrives, because Autotask frees its thread slightly later.
   */
  constructor(public limit: number, public releaseLagMs = 0) {}

  /** True when a slot was taken; release it exactly once. */
  tryAcquire(key: string): boolean {
    const current = this.inFlight.get(key) ?? 0;
    if (current >= this.limit) return false;
    this.inFlight.set(key, current + 1);
    return true;
  }

  release(key: string): void {
    if (this.releaseLagMs > 0) { setTimeout(() => this.releaseNow(key), this.releaseLagMs).unref(); return; }
    this.releaseNow(key);
  }

  private releaseNow(key: string): void {
    const current = this.inFlight.get(key) ?? 0;
    if (current <= 1) this.inFlight.delete(key);
    else this.inFlight.set(key, current - 1);
  }

  current(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }
}

export const THRESHOLD_WINDOW_MS = 3_600_000;

export interface ThresholdOptions {
  /** Requests per rolling hour (Autotask default 10,000). */
  limit?: number;
  /** Requests already counted when the sandbox starts (another integration's usage). */
  used?: number;
  /** Multiplies the 0.5 s / 1 s tier delays; 0 turns them off (fast tests), 1 is Autotask's behaviour. */
  tierDelayScale?: number;
}

/** Counts per second in a sliding hour: cheap even at 10,000+ requests. */
export class RequestThreshold {
  limit: number;
  tierDelayScale: number;
  private readonly buckets: Array<{ second: number; count: number }> = [];
  private total = 0;

  constructor(options: ThresholdOptions, private readonly clock: () => number) {
    this.limit = options.limit ?? 10_000;
    this.tierDelayScale = options.tierDelayScale ?? 1;
    if (options.used) this.add(options.used);
  }

  private expire(): void {
    const oldest = Math.floor((this.clock() - THRESHOLD_WINDOW_MS) / 1000);
    while (this.buckets.length > 0 && (this.buckets[0] as { second: number }).second <= oldest) {
      this.total -= (this.buckets.shift() as { count: number }).count;
    }
  }

  used(): number {
    this.expire();
    return this.total;
  }

  exceeded(): boolean {
    return this.used() >= this.limit;
  }

  add(count = 1): void {
    const second = Math.floor(this.clock() / 1000);
    const last = this.buckets[this.buckets.length - 1];
    if (last && last.second === second) last.count += count;
    else this.buckets.push({ second, count });
    this.total += count;
  }

  /** Autotask's reported latency tiers: +0.5 s from 50% of the threshold, +1 s from 75%. */
  tierDelayMs(): number {
    const ratio = this.used() / this.limit;
    const base = ratio >= 0.75 ? 1000 : ratio >= 0.5 ? 500 : 0;
    return base * this.tierDelayScale;
  }

  reset(used = 0): void {
    this.buckets.length = 0;
    this.total = 0;
    if (used > 0) this.add(used);
  }
}
