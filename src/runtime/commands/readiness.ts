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
  checks: Record<string, { ok: boolean; reason?: string }>;
}

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

export function createReadiness(redis: Pick<RedisConnection, 'ping'>, tenants: TenantServices, options: ReadinessOptions = {}): Readiness {
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
      const redisCheck = withTimeout(timeoutMs, 'Redis', () => redis.ping())
        .then(() => ({ ok: true }), (error: unknown) => ({ ok: false, reason: errorMessage(error) }));
      const results = await Promise.all([redisCheck, ...tenants.ids.map(tenantCheck)]);
      checks.redis = results[0]!;
      tenants.ids.forEach((id, i) => { checks[`tenant:${id}`] = results[i + 1]!; });
      // Deactivated webhooks do not make the worker unready (polling still runs), but ops must see them.
      for (const id of tenants.ids) {
        const notices = await tenants.get(id).webhooks.deactivations().catch(() => []);
        if (notices.length === 0) continue;
        checks[`webhooks:${id}`] = { ok: true, reason: `Autotask deactivated ${notices.length} webhook(s): ${notices.map((n) =>
          `${n.guid ?? 'unknown guid'} at ${n.eventTime ?? n.receivedAt}${n.signed ? '' : ' (unsigned notice)'}`).join(', ')}; `
          + 'fix the receiver and re-activate the webhook in Autotask' };
      }
      if (tenants.ids.length === 0) checks.tenants = { ok: false, reason: 'no tenant is configured' };
      return { ready: Object.values(checks).every((c) => c.ok), checks };
    },
  };
}
