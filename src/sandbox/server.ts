/**
 * The HTTP side of the sandbox: one request goes through zone discovery or the credential check, the hourly
 * threshold, the per-endpoint thread slot, latency and injected faults, then the router; its answer may be
 * "lost" after a write. Every step is recorded in the stats and the request log.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkCredentials, impersonationHeader, zoneInformation } from './auth.js';
import { findEntity } from './entities.js';
import { drawFault, drawLatency, drawLostResponse, type ResolvedFaults } from './faults.js';
import type { SandboxEvents } from './events.js';
import type { LateWrites } from './late-writes.js';
import type { RequestThreshold, ThreadLimiter } from './limits.js';
import type { SandboxCredentials } from './options.js';
import type { Rng } from './random.js';
import { routeApi } from './router.js';
import type { RequestOutcome, StatsRecorder } from './stats.js';
import type { TenantStore } from './store.js';
import { API_USER_LICENSE_TYPE } from './picklists.js';
import { RouteError, SandboxApiError } from './types.js';
import type { WebhookEmitter } from './webhooks.js';

export interface ServerParts {
  store: TenantStore;
  credentials: SandboxCredentials;
  threads: ThreadLimiter;
  threshold: RequestThreshold;
  stats: StatsRecorder;
  webhooks: WebhookEmitter;
  events: SandboxEvents;
  rng: Rng;
  faults: () => ResolvedFaults;
  late: LateWrites;
}

export interface RunningServer {
  server: Server;
  port: number;
  restRoot: string;
  origin: string;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

function endpointName(segment: string | undefined): string | null {
  if (!segment) return null;
  const lower = segment.toLowerCase();
  if (lower === 'zoneinformation') return 'zoneInformation';
  if (lower === 'thresholdinformation') return 'ThresholdInformation';
  return findEntity(segment)?.name ?? null;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startServer(parts: ServerParts, port: number, host: string): Promise<RunningServer> {
  const { store, credentials, threads, threshold, stats, webhooks, events, rng } = parts;
  const sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let closed = false;
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => {
    if (closed) { resolve(); return; }
    const sleeper = { timer: setTimeout(() => { sleepers.delete(sleeper); resolve(); }, ms), resolve };
    sleepers.add(sleeper);
  });

  let restRoot = '';
  let origin = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    let status: number | null = null;
    let outcome: RequestOutcome = 'answered';
    let responseBytes = 0;
    let endpoint: string | null = null;
    let logBody: unknown;
    let errors: string[] | undefined;
    let requestBytes = 0;
    stats.request();

    const send = (code: number, body: unknown): void => {
      const payload = body instanceof Serialized ? body.payload : body;
      const text = body instanceof Serialized ? body.text : JSON.stringify(payload);
      status = code;
      responseBytes = Buffer.byteLength(text);
      const maybeErrors = (payload as { errors?: unknown; Message?: unknown } | null);
      if (Array.isArray(maybeErrors?.errors)) errors = maybeErrors.errors.map(String);
      else if (typeof maybeErrors?.Message === 'string') errors = [maybeErrors.Message];
      if (res.destroyed || res.writableEnded) { outcome = 'aborted'; return; }
      res.writeHead(code, { 'content-type': JSON_TYPE, 'content-length': responseBytes });
      res.end(text);
    };
    const sendError = (error: unknown): void => {
      if (error instanceof SandboxApiError) send(error.status, { errors: error.errors });
      else if (error instanceof RouteError) send(error.status, { Message: error.message });
      else send(500, { errors: ['Internal server error'] });
    };
    const drop = (why: RequestOutcome): void => { outcome = why; req.socket.destroy(); };

    try {
      const raw = await readBody(req);
      requestBytes = raw.length;
      const url = new URL(rawUrl, origin);
      const pathParts = url.pathname.split('/').filter(Boolean).map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
      // The web UI's ticket link (docs/autotask-api.md#ticket-links), so links made for the sandbox open something:
      // the ticket's number and title as JSON, where Autotask would show its ticket page.
      if (pathParts.join('/').toLowerCase() === 'autotask/autotaskextend/executecommand.aspx' && method === 'GET') {
        const ticket = url.searchParams.get('Code') === 'OpenTicketDetail' ? store.get('Tickets', Number(url.searchParams.get('TicketID'))) : undefined;
        if (!ticket) { send(404, { Message: 'No such ticket.' }); return; }
        send(200, { id: ticket.id, ticketNumber: ticket.ticketNumber, title: ticket.title, ticketType: ticket.ticketType, problemTicketId: ticket.problemTicketId ?? null });
        return;
      }
      if (pathParts[0]?.toLowerCase() !== 'atservicesrest' || pathParts[1]?.toLowerCase() !== 'v1.0') {
        send(404, { Message: `No HTTP resource was found that matches the request URI '${rawUrl}'.` });
        return;
      }
      const segments = pathParts.slice(2);
      endpoint = endpointName(segments[0]);
      if (endpoint === 'zoneInformation' && segments.length === 1) {
        // Exempt from credentials and from thread limiting (docs/autotask-api.md#zones, #thread-limit).
        if (method !== 'GET') { send(405, { Message: `The requested resource does not support http method '${method}'.` }); return; }
        const zone = zoneInformation(url.searchParams.get('user'), credentials, store, restRoot, `${origin}/`);
        send(zone.status, zone.body);
        return;
      }
      const verdict = checkCredentials(req.headers, credentials);
      if (!verdict.ok) { send(verdict.status, verdict.body); return; }
      let body: unknown;
      let badJson = false;
      if (raw.length > 0) {
        try { body = JSON.parse(raw.toString('utf8')) as unknown; } catch { badJson = true; }
      } else if (url.searchParams.has('search')) {
        try { body = JSON.parse(url.searchParams.get('search') ?? ''); } catch { body = undefined; }
      }
      logBody = body;
      const slotName = endpoint ?? (segments[0] ?? '').toLowerCase();
      const overThreshold = threshold.exceeded();
      if (overThreshold && endpoint !== 'ThresholdInformation') {
        stats.endpoint(slotName).thresholdLimited += 1;
        send(429, { errors: [`The request threshold of ${threshold.limit} requests per 60 minutes has been exceeded for this Autotask database; requests are refused until usage falls below it.`] });
        return;
      }
      // Past the threshold only ThresholdInformation answers, and it is not counted, so a client can watch the
      // window slide (unverified: Autotask documents no exemption; refusing it too would only blind clients).
      if (!overThreshold) threshold.add();
      stats.endpoint(slotName).requests += 1;
      const slotKey = `${credentials.integrationCode}\u0000${slotName}`;
      if (!threads.tryAcquire(slotKey)) {
        stats.endpoint(slotName).threadLimited += 1;
        send(429, { errors: [`The thread threshold of ${threads.limit} threads has been exceeded for this API integration code on the ${slotName} endpoint (Itgenatr005).`] });
        return;
      }
      stats.enter(slotName);
      try {
        const faults = parts.faults();
        const delay = drawLatency(faults, rng) + threshold.tierDelayMs();
        // A read is answered from the data as it arrived, worked out while its latency runs: a real server's
        // latency includes its own work. Computed after the wait, a query over 100,000 records took the latency
        // plus 10–20 ms of the sandbox's own scanning, and a benchmark "at 100 ms per request" ran slower requests.
        // Writes still land after the latency, as before (tests kill a worker when a write lands).
        const workStarted = performance.now();
        const read = !badJson && isReadRequest(method, segments)
          ? settle(() => {
            const early = routeApi({ store, restRoot, now: new Date(), actorResourceId: store.apiUserResourceId,
              threshold: { limit: threshold.limit, used: threshold.used() } }, { method, segments, query: url.searchParams, body, rawUrl });
            // Serialised now too: a 500-record page is milliseconds of JSON.stringify.
            return { ...early, body: new Serialized(JSON.stringify(early.body), early.body) };
          })
          : null;
        const wait = delay - (performance.now() - workStarted);
        if (wait > 0) await sleep(wait);
        const fault = drawFault(faults, rng);
        if (fault === 'error500') { stats.fault('error500'); send(500, { errors: ['Internal server error'] }); return; }
        if (fault === 'reset') { stats.fault('reset'); drop('reset'); return; }
        if (fault === 'timeout') { stats.fault('timeout'); await sleep(faults.timeoutMs); drop('timeout'); return; }
        if (badJson) throw new SandboxApiError(500, 'The request body is not valid JSON.');
        if (endpoint !== null && store.settings.deniedEntities.includes(endpoint)) {
          // The real text of a permission refusal, as HTTP 500 (docs/autotask-samples.md, "Reading and errors").
          throw new SandboxApiError(500, 'The logged in Resource does not have the adequate permissions to access this entity.');
        }
        const now = new Date();
        const actorResourceId = actorFor(method, impersonationHeader(req.headers));
        if (method === 'POST' && endpoint !== null && segments.length === 1 && parts.late.take(endpoint)) {
          // Held: no answer now; the create lands when the test applies it (late-writes.ts).
          const request = { method, segments, query: url.searchParams, body, rawUrl };
          parts.late.add({ entity: endpoint, apply: () => {
            try {
              const late = routeApi({ store, restRoot, now: new Date(), actorResourceId, threshold: { limit: threshold.limit, used: threshold.used() } }, request);
              if (late.write) stats.write(late.write.entity, late.write.method);
              return late.write ? late.write.result.record.id : null;
            } catch { return null; }
          } });
          stats.fault('lateWrite');
          drop('lost');
          return;
        }
        const answer = read ? read() : routeApi({ store, restRoot, now, actorResourceId, threshold: { limit: threshold.limit, used: threshold.used() } },
          { method, segments, query: url.searchParams, body, rawUrl });
        if (answer.write) {
          const { entity, method: writeMethod, result } = answer.write;
          stats.write(entity, writeMethod);
          events.write({ entity, method: writeMethod, action: result.action, record: result.record, changed: result.changed });
          if (entity === 'Tickets' && result.action !== 'Delete') {
            const fields = Object.fromEntries(result.changed.map((k) => [k, result.record[k]]));
            webhooks.emit(result.action, result.record.id, fields, actorResourceId, now);
          }
          if (writeMethod !== 'DELETE' && drawLostResponse(faults, rng)) {
            // The write happened; the answer never arrives (docs/autotask-api.md#writing: a create whose answer is lost may have happened).
            stats.fault('lostResponse');
            status = answer.status;
            drop('lost');
            return;
          }
        }
        send(answer.status, answer.body);
      } catch (error) {
        sendError(error);
      } finally {
        threads.release(slotKey);
        stats.leave(slotName);
      }
    } catch (error) {
      sendError(error);
    } finally {
      if (status !== null && outcome === 'answered') stats.status(endpoint, status);
      events.request(stats.append({ at: new Date().toISOString(), method, path: rawUrl, entity: endpoint, status, outcome,
        durationMs: Math.round((performance.now() - started) * 10) / 10, requestBytes, responseBytes,
        ...(logBody === undefined ? {} : { body: logBody }), ...(errors ? { errors } : {}) }));
    }
  }

  /** Writes are made as the API user, or as the ImpersonationResourceId when one is sent (docs/autotask-api.md#authentication). */
  function actorFor(method: string, impersonation: string | undefined): number {
    if (impersonation === undefined || method === 'GET') return store.apiUserResourceId;
    // Autotask documents impersonation for adds and edits only; a tenant that has not allowed it refuses the write
    // with its generic permission text (docs/autotask-samples.md, "Impersonation": the tail is our wording).
    if (!store.settings.impersonation) {
      throw new SandboxApiError(500, `The logged in Resource does not have the adequate permissions to impersonate resource ${impersonation}.`);
    }
    const id = Number(impersonation);
    const resource = Number.isInteger(id) ? store.get('Resources', id) : undefined;
    if (!resource || resource.isActive === false || resource.licenseType === API_USER_LICENSE_TYPE) {
      throw new SandboxApiError(500, `ImpersonationResourceId ${impersonation} is not an active resource that can be impersonated.`);
    }
    return id;
  }

  const server = createServer((req, res) => { void handle(req, res); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  origin = `http://${hostForUrl}:${address.port}`;
  restRoot = `${origin}/ATServicesRest/`;

  return {
    server, port: address.port, restRoot, origin,
    close: () => new Promise<void>((resolve) => {
      closed = true;
      for (const sleeper of sleepers) { clearTimeout(sleeper.timer); sleeper.resolve(); }
      sleepers.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** An answer body already turned into JSON (a read worked out ahead of its latency). */
class Serialized {
  constructor(readonly text: string, readonly payload: unknown) {}
}

/** GETs and query/count POSTs change nothing: they may be answered ahead of their latency. */
function isReadRequest(method: string, segments: readonly string[]): boolean {
  if (method === 'GET') return true;
  return method === 'POST' && segments.length >= 2 && segments[1]!.toLowerCase() === 'query';
}

/** Runs `work` now; the returned function gives its result or throws its error later, where the answer is sent. */
function settle<T>(work: () => T): () => T {
  try {
    const value = work();
    return () => value;
  } catch (error) {
    return () => { throw error; };
  }
}
