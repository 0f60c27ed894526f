/** Options and handle of `startSandbox` (src/sandbox/index.ts). */
import type { SandboxWriteEvent } from './events.js';
import type { FaultOptions } from './faults.js';
import type { ThresholdOptions } from './limits.js';
import type { RequestLogEntry, SandboxStats } from './stats.js';
import type { TenantSettings, TenantStore } from './store.js';
import type { TenantData } from './types.js';
import type { WebhookDelivery, WebhookOptions } from './webhooks.js';

export interface SandboxCredentials {
  username: string;
  secret: string;
  integrationCode: string;
}

export const DEFAULT_CREDENTIALS: SandboxCredentials = Object.freeze({
  username: 'api@sandbox.local',
  secret: 'sandbox-secret',
  integrationCode: 'SANDBOXINTEGRATIONCODE00001',
});

export interface SandboxOptions extends FaultOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** 'demo' (default), 'empty', or a data set (e.g. from generateTenant). */
  scenario?: 'demo' | 'empty' | TenantData;
  /** Seeds the demo's "now"-independent choices, new-id gaps and fault draws (default 1). */
  seed?: number;
  /** "Now" of the demo scenario (default: the current time), so its dates are recent. */
  now?: Date;
  credentials?: Partial<SandboxCredentials>;
  /** Concurrent requests per integration code per endpoint (default 3). */
  threadLimit?: number;
  /** Server-side lag before a finished request's thread is free again (default 0; see ThreadLimiter). */
  threadReleaseLagMs?: number;
  threshold?: ThresholdOptions;
  webhook?: WebhookOptions;
  /** Tenant settings (default: Proxy Time Entry on, spanning midnight allowed). */
  tenantSettings?: Partial<TenantSettings>;
  /** Entries kept in requestLog (default 5,000). */
  requestLogLimit?: number;
}

export interface RuntimeLimits {
  threadLimit?: number;
  threadReleaseLagMs?: number;
  threshold?: { limit?: number; used?: number; tierDelayScale?: number };
}

export interface SandboxHandle {
  /** The REST root, `http://host:port/ATServicesRest/`. */
  readonly url: string;
  /** Where zone discovery is served: `<zoneUrl>V1.0/zoneInformation?user=` (same host as url). */
  readonly zoneUrl: string;
  readonly credentials: SandboxCredentials;
  readonly port: number;
  /** The in-memory tenant: records by entity, insert/update/remove, picklists. */
  readonly data: TenantStore;
  /** The last requests (bounded), oldest first. */
  readonly requestLog: readonly RequestLogEntry[];
  /** Webhook deliveries attempted (bounded). */
  readonly webhookDeliveries: readonly WebhookDelivery[];
  /**
   * Calls `listener` synchronously each time a request's write has been applied, before its answer is sent
   * (so a test can crash the client at "written, not yet confirmed"). Returns the unsubscribe function.
   */
  onWrite(listener: (event: SandboxWriteEvent) => void): () => void;
  /** Calls `listener` with each request's log entry once the request has finished. Returns the unsubscribe function. */
  onRequest(listener: (entry: RequestLogEntry) => void): () => void;
  stats(): SandboxStats & { threshold: { limit: number; used: number } };
  resetStats(): void;
  setFaults(faults: FaultOptions): void;
  /** Holds the next `count` creates of `entity`: no answer, applied only by applyHeldCreates (late-writes.ts). */
  holdCreates(entity: string, count?: number): void;
  /** How many held creates wait to be applied. */
  heldCreates(): number;
  /** Applies the held creates now, as Autotask finishing a request late; returns their ids. */
  applyHeldCreates(): Array<number | null>;
  setLimits(limits: RuntimeLimits): void;
  setWebhook(webhook: WebhookOptions | null): void;
  /** Resolves when every webhook delivery started so far has finished. */
  flushWebhooks(): Promise<void>;
  close(): Promise<void>;
}
