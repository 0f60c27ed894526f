/**
 * Readiness (GET /readyz): Redis answers PING, and every tenant's Autotask answers ThresholdInformation (a cheap call, but it
 * counts against the tenant's hourly budget — docs/autotask-api.md#request-threshold — so answers are cached:
 * okTtlMs after a success, failTtlMs after a failure; concurrent probes share one call).
 */
import type { RedisConnection } from '../../lib/redis-connection.js';
import { errorMessage } from '../../lib/errors.js';
import type { TenantServices } from '../tenant-services.js';

export interface ReadinessOptions {
  timeoutMs?: number;
  okTtlMs?: number;
  failTtlMs?: number;
}

export interface ReadinessReport {
  ready: boolean;
  /** Tenants whose Autotask does not answer while others do: reported, but the instance stays ready for the rest. */
  degraded: string[];
  checks: Record<string, { ok: boolean; reason?: string }>;
}

/** What the process is still waiting for before it takes jobs (e.g. Redis at start); undefined once running. */
export type StartupState = () => string | undefined;

async function withTimeout<T>(timeoutMs: number, what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`${what} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([run(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface Readiness {
  check(): Promise<ReadinessReport>;
}

export function createReadiness(redis: Pick<RedisConnection, 'ping' | 'status'>, tenants: TenantServices, options: ReadinessOptions = {},
  startup: StartupState = () => undefined, now: () => Date = () => new Date()): Readiness {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const okTtlMs = options.okTtlMs ?? 30_000;
  const failTtlMs = options.failTtlMs ?? 5_000;
  const cache = new Map<string, { until: number; result: Promise<{ ok: boolean; reason?: string }> }>();

  const tenantCheck = (id: string): Promise<{ ok: boolean; reason?: string }> => {
    const cached = cache.get(id);
    if (cached && cached.until > Date.now()) return cached.result;
    const entry = { until: Number.POSITIVE_INFINITY, result: Promise.resolve({ ok: false } as { ok: boolean; reason?: string }) };
    entry.result = withTimeout(timeoutMs, `Autotask (tenant ${id})`, (signal) => tenants.get(id).client.thresholdInformation(signal))
      .then(() => { entry.until = Date.now() + okTtlMs; return { ok: true }; })
      .catch((error: unknown) => { entry.until = Date.now() + failTtlMs; return { ok: false, reason: errorMessage(error) }; });
    cache.set(id, entry);
    return entry.result;
  };

  return {
    async check(): Promise<ReadinessReport> {
      const checks: ReadinessReport['checks'] = {};
      const waiting = startup();
      if (waiting) checks.startup = { ok: false, reason: waiting };
      // A connection that is not up would queue the PING until Redis returns: answer from its state at once.
      const redisCheck = redis.status !== 'ready'
        ? Promise.resolve({ ok: false, reason: `not connected (${redis.status})` })
        : withTimeout(timeoutMs, 'Redis', () => redis.ping())
          .then(() => ({ ok: true }), (error: unknown) => ({ ok: false, reason: errorMessage(error) }));
      // Without Redis the governor cannot admit the probe: say so instead of waiting for its timeout.
      const redisUp = redis.status === 'ready';
      const results = await Promise.all([redisCheck, ...tenants.ids.map((id) => (redisUp ? tenantCheck(id)
        : Promise.resolve({ ok: false, reason: 'not checked: Redis is not connected' })))]);
      checks.redis = results[0]!;
      const tenantResults = results.slice(1);
      tenants.ids.forEach((id, i) => { checks[`tenant:${id}`] = tenantResults[i]!; });
      // Deactivated webhooks do not make the worker unready (polling still runs), but ops must see them.
      // Read only with Redis up (a command on a connection that is not would wait for it), and bounded.
      for (const id of redisUp ? tenants.ids : []) {
        const notices = await withTimeout(timeoutMs, 'Redis', () => tenants.get(id).webhooks.deactivations(now())).catch(() => []);
        if (notices.length === 0) continue;
        checks[`webhooks:${id}`] = { ok: true, reason: `Autotask deactivated ${notices.length} webhook(s): ${notices.map((n) =>
          `${n.guid ?? 'unknown guid'} at ${n.eventTime ?? n.receivedAt}${n.signed ? '' : ' (unsigned notice)'}`).join(', ')}; `
          + 'fix the receiver and re-activate the webhook in Autotask' };
      }
      if (tenants.ids.length === 0) checks.tenants = { ok: false, reason: 'no tenant is configured' };
      // One tenant's expired secret must not take the others out of service: the instance is unready only when
      // no tenant answers.
      const degraded = tenants.ids.filter((_, i) => !tenantResults[i]!.ok);
      const anyTenant = tenantResults.some((r) => r.ok);
      const ready = !waiting && checks.redis.ok && tenants.ids.length > 0 && anyTenant;
      return { ready, degraded: ready ? degraded : [], checks };
    },
  };
}
