/**
 * The per-tenant rate governor, shared by every process of the deployment through Redis.
 *
 * Slots (docs/autotask-api.md#thread-limit: at most 3 concurrent requests per integration code per entity endpoint,
 * HTTP 429 beyond): a Redis semaphore per endpoint, a ZSET of lease tokens scored by expiry. A holder that
 * crashes loses its slot when its lease runs out; a live holder renews its lease, so a slow request never has
 * its slot handed to a fourth caller.
 *
 * Budget (docs/autotask-api.md#request-threshold: 10,000 requests per rolling hour for the whole tenant, latency added
 * from about 50%): our own requests are counted in per-minute buckets, the others' share comes from the last
 * ThresholdInformation read (which the client makes when thresholdStale() says so), and acquire() reserves one
 * request atomically with the check against floor(budgetFraction × externalRequestThreshold).
 */
import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../lib/redis-connection.js';
import type { AppConfig } from '../../config/schema.js';
import { AppError } from '../lib/errors.js';
import { silentLogger, type Logger } from '../lib/logger.js';
import { sleep } from '../lib/sleep.js';
import { BudgetExhaustedError } from './errors.js';
import { budgetCeiling, estimateRetryAt, slotWaitDelay } from './governor-budget.js';
import { keepRenewed, type Renewal } from '../lib/lease-renewal.js';
import { runScript } from '../lib/redis-script.js';
import { ACQUIRE, COOL, HISTORY, LEARN_COOLING, NOTE_THROTTLED, OBSERVE, RENEW, SNAPSHOT } from './governor-scripts.js';
import { hourlyHistory, type HourUsage } from './governor-history.js';
import type { ThresholdInformation } from './schemas/index.js';
import type { RateGovernor, SlotLease } from './types.js';

/**
 * The endpoint name under which the client reads ThresholdInformation. Its acquire() takes a slot and counts
 * against the budget but is never refused for budget: the read is how a worker learns that budget has freed,
 * so refusing it could keep jobs waiting on a stale estimate. It happens once per thresholdRefreshMs at most.
 */
export const THRESHOLD_ENDPOINT = 'ThresholdInformation';

/**
 * The learnt cooling (docs/autotask-api.md#thread-headroom): doubled on a thread-limit 429, from at least LEARN_FLOOR_MS,
 * at most once per LEARN_GAP_MS, never beyond LEARN_CAP_MS, and forgotten LEARN_EXPIRY_MS after the last such 429.
 */
const LEARN_FLOOR_MS = 10;
const LEARN_CAP_MS = 1_000;
const LEARN_GAP_MS = 1_000;
const LEARN_EXPIRY_MS = 3_600_000;

/**
 * A caller refused a slot stays listed as waiting this long after each try (it tries again well within it: the
 * slot backoff is at most 75 ms), so a caller that left without a slot stops the take-back of cooling slots for at
 * most this long.
 */
const WAITER_EXPIRY_MS = 1_000;
/** A cooling slot is taken back only with at least this much of its cooling left, so the take-back reaches Redis first. */
const TAKE_BACK_MARGIN_MS = 2;

/** After thresholdStale() said true, how long this process waits for the read before saying true again. */
const STALE_CLAIM_MS = 30_000;

/**
 * The Redis keys the governor works on. Key names belong to src/store (keys.ts `tenantKeys` satisfies this);
 * the caller passes them in, so the client never depends on the store.
 */
export interface GovernorKeys {
  slots(endpoint: string): string;
  slotWaiters(endpoint: string): string;
  slotEndpoints: string;
  budget: string;
  threshold: string;
  budgetHours: string;
  cooling: string;
}

export interface RedisGovernorOptions {
  redis: RedisConnection;
  keys: GovernorKeys;
  /** For the log lines only. */
  tenantId?: string;
  settings: AppConfig['autotask'];
  /** Local clock, used only to age the cached threshold read between Redis replies. */
  now?: () => number;
  logger?: Logger;
}

export type RedisGovernor = RateGovernor & { close(): Promise<void> };

interface Held {
  slotsKey: string;
  renewal: Renewal;
}

/** A slot this process gave back with a cooling: until `coolEnd` (performance.now() clock) it may take it back. */
interface Cooling {
  token: string;
  coolEnd: number;
}

export function createRedisGovernor(options: RedisGovernorOptions): RedisGovernor {
  const { redis, settings } = options;
  const now = options.now ?? Date.now;
  const logger = (options.logger ?? silentLogger()).child({ component: 'governor', tenant: options.tenantId });
  const { keys } = options;
  const held = new Map<string, Held>();
  // By slots key, oldest first: at most one entry per slot of the endpoint that cooled within the last cooling.
  const cooling = new Map<string, Cooling[]>();
  let closed = false;
  // What the last Redis reply told us: server clock minus local clock, and when the threshold was last read.
  let clockOffset = 0;
  let observedAt: number | null = null;
  let staleClaimedAt: number | null = null;

  // The client names child routes `Parent/Child` (e.g. Tickets/Notes); key parts may not hold '/', and no
  // entity name holds ':', so the mapping cannot collide.
  const keyPart = (endpoint: string): string => endpoint.replaceAll('/', ':');
  const slotsKeyOf = (endpoint: string): string => keys.slots(keyPart(endpoint));

  function learn(serverNow: number, observed: number): void {
    clockOffset = serverNow - now();
    observedAt = observed >= 0 ? observed : null;
  }

  function startRenewal(token: string, slotsKey: string, endpoint: string): Held {
    const renewal = keepRenewed({
      leaseMs: settings.slotLeaseMs,
      renew: async () => Number(await runScript(redis, RENEW, [slotsKey], [token, settings.slotLeaseMs])) === 1 || !held.has(token),
      // Only possible when this process stalled past its lease (event loop blocked, Redis unreachable).
      onLost: () => logger.warn({ endpoint }, 'slot lease expired while held; another caller may have taken the slot'),
      onError: (error) => logger.warn({ err: error, endpoint }, 'slot lease renewal failed'),
    });
    return { slotsKey, renewal };
  }

  /**
   * Never throws: release runs in the caller's finally, where a Redis hiccup must not replace the request's own
   * outcome. With renewal stopped, a slot we failed to remove frees when its lease runs out. With `coolMs` the
   * slot stays counted that long by Redis' clock (COOL), so no timer of this process has to outlive the request.
   */
  async function release(token: string, slotsKey: string, coolMs: number): Promise<void> {
    // close() gave it back already (a request still in flight then, answered or cut since): nothing left to do, and
    // the Redis connection may be gone.
    if (closed && !held.has(token)) return;
    held.get(token)?.renewal.stop();
    held.delete(token);
    try {
      const sentAt = performance.now();
      const [released = 0, cooled = 0] = ((await runScript(redis, COOL, [slotsKey, keys.cooling],
        [token, Math.ceil(Math.max(0, coolMs)), settings.slotReleaseDelayMs])) as unknown[]).map(Number);
      // The cooling ends `cooled` ms after Redis ran the script, so no earlier than sentAt + cooled on our clock.
      if (released === 1 && cooled > 0 && !closed) remember(slotsKey, { token, coolEnd: sentAt + cooled });
    } catch (error) {
      logger.warn({ err: error }, 'could not release a slot; its lease will expire');
    }
  }

  function lease(token: string, slotsKey: string): SlotLease {
    let released: Promise<void> | null = null;
    return {
      release: (coolMs = 0) => (released ??= release(token, slotsKey, coolMs)),
    };
  }

  function remember(slotsKey: string, entry: Cooling): void {
    const now = performance.now();
    const list = (cooling.get(slotsKey) ?? []).filter((c) => c.coolEnd > now);
    list.push(entry);
    cooling.set(slotsKey, list);
  }

  /** The cooling slot of this endpoint that ends first, if enough of its cooling is left to take it back. */
  function takeCooling(slotsKey: string): Cooling | undefined {
    const list = cooling.get(slotsKey);
    const now = performance.now();
    let entry: Cooling | undefined;
    while (list && list.length > 0 && !entry) {
      const first = list.shift()!;
      if (first.coolEnd - now >= TAKE_BACK_MARGIN_MS) entry = first;
    }
    if (list?.length === 0) cooling.delete(slotsKey);
    return entry;
  }

  /**
   * A slot taken back while it cools (docs/autotask-api.md#thread-headroom): held and renewed from now, but the
   * request waits here for the rest of the cooling, as if it had waited for a free slot.
   */
  async function afterCooling(slot: SlotLease, coolEnd: number, signal?: AbortSignal): Promise<SlotLease> {
    try {
      // A timer may fire up to a millisecond early (the event loop's clock is cached): sleep again until the end.
      for (let left = coolEnd - performance.now(); left > 0; left = coolEnd - performance.now()) await sleep(left, signal);
      if (closed) throw new AppError('GOVERNOR_CLOSED', 'the rate governor is closed');
    } catch (error) {
      // Nothing was sent: the slot cools for what is left of the cooling, then frees.
      await slot.release(Math.max(0, coolEnd - performance.now()));
      throw error;
    }
    return slot;
  }

  async function acquire(endpoint: string, signal?: AbortSignal): Promise<SlotLease> {
    const slotsKey = slotsKeyOf(endpoint);
    const waitersKey = keys.slotWaiters(keyPart(endpoint));
    const scriptKeys = [slotsKey, keys.budget, keys.threshold, keys.slotEndpoints, keys.budgetHours, waitersKey];
    const exempt = endpoint === THRESHOLD_ENDPOINT ? '1' : '0';
    const waiter = randomUUID();
    // Tried on the first attempt only: a caller refused once waits like any other.
    let takeBack = takeCooling(slotsKey);
    // Listed in slotWaiters since a refusal (the script lists a caller it refuses a slot).
    let listed = false;
    try {
      for (let attempt = 0; ; attempt++) {
        // A waiter outliving close() must not take a slot that nobody would renew or release.
        if (closed) throw new AppError('GOVERNOR_CLOSED', 'the rate governor is closed');
        signal?.throwIfAborted();
        const fresh = randomUUID();
        const reply = (await runScript(redis, ACQUIRE, scriptKeys, [fresh, settings.threadsPerEndpoint, settings.slotLeaseMs,
          settings.budgetFraction, exempt, endpoint, attempt, waiter, WAITER_EXPIRY_MS, takeBack?.token ?? ''])) as Array<string | number>;
        const [status, serverNow, a, ceiling, observed] = reply.map((v, i) => (i === 0 ? v : Number(v))) as [string, number, number, number, number];
        learn(serverNow, observed);
        if (status === 'ok') {
          const taken = Number(reply[5]) === 1 && takeBack !== undefined;
          const token = taken ? takeBack!.token : fresh;
          held.set(token, startRenewal(token, slotsKey, endpoint));
          const slot = lease(token, slotsKey);
          if (taken) return await afterCooling(slot, takeBack!.coolEnd, signal);
          if (signal?.aborted) {
            await slot.release();
            signal.throwIfAborted();
          }
          return slot;
        }
        takeBack = undefined;
        if (status === 'budget') {
          listed = false; // the script took it off the list
          throw budgetError(reply, serverNow, a, ceiling, observed);
        }
        listed = true;
        await sleep(slotWaitDelay(attempt, Math.random, Number(reply[5]) - serverNow), signal);
      }
    } catch (error) {
      // Leaving without a slot (stopped): no longer waiting. Best effort; the entry expires by itself anyway.
      if (listed && !closed) redis.zrem(waitersKey, waiter).catch(() => undefined);
      throw error;
    }
  }

  function budgetError(reply: Array<string | number>, serverNow: number, used: number, ceiling: number, observed: number): BudgetExhaustedError {
    const external = Number(reply[5]);
    const buckets: Array<[number, number]> = [];
    for (let i = 6; i + 1 < reply.length; i += 2) buckets.push([Number(reply[i]), Number(reply[i + 1])]);
    const observation = observed >= 0 ? { external, observedAt: observed } : null;
    const retryAt = estimateRetryAt({ buckets, observation, nowMs: serverNow, ceiling,
      refreshMs: settings.thresholdRefreshMs });
    logger.debug({ used, ceiling, retryAt }, 'hourly budget exhausted');
    // retryAt is in server time; hand it out on this process's clock.
    return new BudgetExhaustedError(new Date(retryAt - clockOffset), used, ceiling);
  }

  async function observeThreshold(info: ThresholdInformation): Promise<void> {
    const reply = (await runScript(redis, OBSERVE, [keys.budget, keys.threshold],
      [info.externalRequestThreshold, info.requestThresholdTimeframe, info.currentTimeframeRequestCount])) as number[];
    const serverNow = Number(reply[0]);
    learn(serverNow, serverNow);
    staleClaimedAt = null;
  }

  /**
   * Staleness is shared: every acquire() reply carries when any process last read the threshold. The first
   * caller of this process to see "stale" is expected to read; others of this process hear "fresh" for
   * STALE_CLAIM_MS so that concurrent requests do not all spend a request on the same read.
   */
  function thresholdStale(): boolean {
    const local = now();
    const fresh = observedAt !== null && local + clockOffset - observedAt < settings.thresholdRefreshMs;
    if (fresh) return false;
    if (staleClaimedAt !== null && local - staleClaimedAt < STALE_CLAIM_MS) return false;
    staleClaimedAt = local;
    return true;
  }

  async function snapshot(): Promise<{ used: number; ceiling: number; threshold: number | null; left: number; slotsInUse: Record<string, number> }> {
    const endpoints = (await redis.smembers(keys.slotEndpoints)).sort();
    const reply = ((await runScript(redis, SNAPSHOT, [keys.budget, keys.threshold, ...endpoints.map(slotsKeyOf)],
      [settings.budgetFraction])) as Array<number | string>).map(Number);
    const [serverNow = 0, own = 0, external = 0, threshold = -1, , observed = -1] = reply;
    learn(serverNow, observed);
    const known = threshold >= 0 ? threshold : null;
    const ceiling = budgetCeiling(settings.budgetFraction, known);
    const used = own + external;
    const slotsInUse: Record<string, number> = {};
    endpoints.forEach((endpoint, i) => { slotsInUse[endpoint] = reply[6 + i] ?? 0; });
    return { used, ceiling, threshold: known, left: Math.max(0, ceiling - used), slotsInUse };
  }

  /** Never throws: learning must not change the request's own outcome. */
  async function noteThreadLimit(endpoint: string): Promise<void> {
    try {
      const [ms, grew] = ((await runScript(redis, LEARN_COOLING, [keys.cooling],
        [settings.slotReleaseDelayMs, LEARN_CAP_MS, LEARN_FLOOR_MS, LEARN_EXPIRY_MS, LEARN_GAP_MS])) as number[]).map(Number);
      if (grew === 1) logger.warn({ endpoint, coolingMs: ms }, 'thread-limit 429: the slots of this tenant now cool longer, for an hour');
    } catch (error) {
      logger.debug({ err: error }, 'could not learn a longer slot cooling');
    }
  }

  /** Never throws: counting a 429 for the console must not change the request's own outcome. */
  async function noteThrottled(): Promise<void> {
    try {
      await runScript(redis, NOTE_THROTTLED, [keys.budgetHours], []);
    } catch (error) {
      logger.debug({ err: error }, 'could not count a 429 in the hourly history');
    }
  }

  async function history(): Promise<HourUsage[]> {
    const reply = (await runScript(redis, HISTORY, [keys.budgetHours], [])) as Array<string | number>;
    const fields: Record<string, string | number> = {};
    for (let i = 1; i + 1 < reply.length; i += 2) fields[String(reply[i])] = reply[i + 1]!;
    return hourlyHistory(fields, Number(reply[0]));
  }

  /**
   * A lease still held at close belongs to a request in flight (the client gives a slot back as soon as its
   * exchange settles): the server may still be working on it, so it gets the whole cooling, as a request that
   * got no answer does, rather than none.
   */
  async function close(): Promise<void> {
    closed = true;
    const leases = [...held.entries()];
    await Promise.all(leases.map(([token, entry]) => release(token, entry.slotsKey, settings.slotReleaseDelayMs)));
  }

  return { acquire, observeThreshold, thresholdStale, snapshot, noteThrottled, noteThreadLimit, history, close };
}
