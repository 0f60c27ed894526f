/**
 * Zone discovery (docs/autotask-api.md#zones): `GET <zoneUrl>V1.0/zoneInformation?user=<username>`,
 * sent without credentials, answers `{"zoneName","url","webUrl","ci"}` where `url` is the tenant's REST root.
 * The answer is cached for settings.zoneCacheMs, shared by every client of the process for the same
 * (zone URL, user) — a tenant's zone does not depend on which client asks — and looked up again on demand
 * after a 401 (the client does that once per request). `tenant.baseUrl` (AUTOTASK_BASE_URL) skips discovery.
 */
import type { TenantConfig } from '../../config/schema.js';

interface CachedZone {
  root: string;
  expiresAt: number;
}

/** Process-wide cache; tests pass their own map. */
const sharedCache = new Map<string, CachedZone>();

/** Fetches and validates the zone answer of one URL; returns the REST root it names. */
export type ZoneFetcher = (url: string, signal?: AbortSignal) => Promise<string>;

/** `…/ATServicesRest` and `…/ATServicesRest/` both become `…/ATServicesRest/`, to which `V1.0/…` is appended. */
export function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

export function zoneLookupUrl(zoneUrl: string, username: string): string {
  return `${withTrailingSlash(zoneUrl)}V1.0/zoneInformation?user=${encodeURIComponent(username)}`;
}

export class ZoneResolver {
  private readonly key: string;
  private inFlight: Promise<string> | null = null;

  constructor(
    private readonly tenant: TenantConfig,
    private readonly cacheMs: number,
    private readonly fetchZone: ZoneFetcher,
    private readonly now: () => number = Date.now,
    private readonly cache: Map<string, CachedZone> = sharedCache,
  ) {
    this.key = `${withTrailingSlash(tenant.zoneUrl)}|${tenant.username.toLowerCase()}`;
  }

  /** True when discovery is skipped (a fixed base URL): a 401 then has no other zone to try. */
  get fixed(): boolean {
    return this.tenant.baseUrl !== undefined;
  }

  /** The tenant's REST root, ending in '/'. */
  async restRoot(signal?: AbortSignal): Promise<string> {
    if (this.tenant.baseUrl !== undefined) return withTrailingSlash(this.tenant.baseUrl);
    const cached = this.cache.get(this.key);
    if (cached && cached.expiresAt > this.now()) return cached.root;
    return this.lookup(signal);
  }

  /** Forgets the cached zone and asks again (after a 401: the tenant may have moved). */
  async relookup(signal?: AbortSignal): Promise<string> {
    if (this.tenant.baseUrl !== undefined) return withTrailingSlash(this.tenant.baseUrl);
    this.cache.delete(this.key);
    return this.lookup(signal);
  }

  /** One lookup in flight per resolver: concurrent first requests share it. */
  private lookup(signal?: AbortSignal): Promise<string> {
    if (!this.inFlight) {
      const url = zoneLookupUrl(this.tenant.zoneUrl, this.tenant.username);
      this.inFlight = this.fetchZone(url, signal)
        .then((root) => {
          const normalized = withTrailingSlash(root);
          this.cache.set(this.key, { root: normalized, expiresAt: this.now() + this.cacheMs });
          return normalized;
        })
        .finally(() => {
          this.inFlight = null;
        });
    }
    return this.inFlight;
  }
}
