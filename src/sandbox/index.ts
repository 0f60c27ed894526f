/**
 * The Autotask sandbox: a simulated tenant over HTTP with the REST shapes, rules and limits of
 * docs/autotask-api.md, for the demo, the integration tests and the benchmarks. Product code never
 * imports this folder (docs/architecture.md); tests, benches and the `sandbox`/`demo` commands do.
 */
import { SandboxEvents } from './events.js';
import { resolveFaults } from './faults.js';
import { LateWrites } from './late-writes.js';
import { RequestThreshold, ThreadLimiter } from './limits.js';
import { DEFAULT_CREDENTIALS, type SandboxHandle, type SandboxOptions } from './options.js';
import { createRng } from './random.js';
import { resolveScenario } from './scenarios/index.js';
import { startServer } from './server.js';
import { StatsRecorder } from './stats.js';
import { TenantStore } from './store.js';
import { WebhookEmitter } from './webhooks.js';

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const credentials = Object.freeze({ ...DEFAULT_CREDENTIALS, ...(options.credentials ?? {}) });
  const seed = options.seed ?? 1;
  const data = resolveScenario(options.scenario ?? 'demo', { now: options.now ?? new Date(), apiUserName: credentials.username });
  const store = new TenantStore(data, seed);
  Object.assign(store.settings, options.tenantSettings ?? {});
  if (store.get('Resources', store.apiUserResourceId)) {
    store.update('Resources', store.apiUserResourceId, { userName: credentials.username, email: credentials.username });
  }
  let faults = resolveFaults(options);
  const late = new LateWrites();
  const threads = new ThreadLimiter(options.threadLimit ?? 3, options.threadReleaseLagMs ?? 0);
  const threshold = new RequestThreshold(options.threshold ?? {}, () => Date.now());
  const stats = new StatsRecorder(options.requestLogLimit ?? 5000);
  const webhooks = new WebhookEmitter(options.webhook ?? null, (kind) => stats.webhook(kind));
  const events = new SandboxEvents();
  const running = await startServer({ store, credentials, threads, threshold, stats, webhooks, events, rng: createRng(seed),
    faults: () => faults, late }, options.port ?? 0, options.host ?? '127.0.0.1');

  return {
    url: running.restRoot,
    zoneUrl: running.restRoot,
    credentials,
    port: running.port,
    data: store,
    get requestLog() { return stats.log; },
    get webhookDeliveries() { return webhooks.deliveries; },
    onWrite: (listener) => events.onWrite(listener),
    onRequest: (listener) => events.onRequest(listener),
    stats: () => ({ ...stats.snapshot(), threshold: { limit: threshold.limit, used: threshold.used() } }),
    resetStats: () => stats.reset(),
    setFaults: (next) => { faults = resolveFaults(next, faults); },
    holdCreates: (entity, count = 1) => late.hold(entity, count),
    heldCreates: () => late.pending(),
    applyHeldCreates: () => late.applyAll(),
    setLimits: (limits) => {
      if (limits.threadLimit !== undefined) threads.limit = limits.threadLimit;
      if (limits.threadReleaseLagMs !== undefined) threads.releaseLagMs = limits.threadReleaseLagMs;
      if (limits.threshold?.limit !== undefined) threshold.limit = limits.threshold.limit;
      if (limits.threshold?.tierDelayScale !== undefined) threshold.tierDelayScale = limits.threshold.tierDelayScale;
      if (limits.threshold?.used !== undefined) threshold.reset(limits.threshold.used);
    },
    setWebhook: (webhook) => webhooks.configure(webhook),
    flushWebhooks: () => webhooks.flush(),
    close: () => running.close(),
  };
}

export { DEFAULT_CREDENTIALS, type SandboxCredentials, type SandboxHandle, type SandboxOptions, type RuntimeLimits } from './options.js';
export type { SandboxWriteEvent } from './events.js';
export type { FaultOptions, TransientFault } from './faults.js';
export type { ThresholdOptions } from './limits.js';
export type { WebhookOptions, WebhookDelivery } from './webhooks.js';
export { signWebhook, escapedJson } from './webhooks.js';
export type { SandboxStats, EndpointStats, RequestLogEntry, RequestOutcome } from './stats.js';
export { TenantStore } from './store.js';
export { SANDBOX_ENTITIES, type SandboxEntity, type SandboxRecord, type TenantData, type PicklistEntry, type Picklists } from './types.js';
export { buildDemoTenant, DEMO_FACTS, emptyTenant, generateTenant, type DemoFacts, type DemoInvoiceGroup, type DemoTenant,
  type GenerateOptions } from './scenarios/index.js';
