/**
 * One HTTP exchange with Autotask through axios, nothing more: no retry, no classification, no slot.
 * It never throws axios' own errors upward, because those carry the request config and with it the
 * `Secret` and `ApiIntegrationCode` headers; a failure becomes a TransportFailure holding only a code.
 *
 * - TLS is Node's default (the CA store, hostname check); nothing here weakens it.
 * - Redirects are not followed: axios (follow-redirects) strips only Authorization/Cookie on a cross-host
 *   redirect, not Autotask's custom credential headers, so a 3xx is returned and classified instead.
 * - The body is read as text and parsed here, so a malformed answer (an HTML page from a proxy, cut JSON)
 *   is visible to the classifier instead of silently arriving as a string.
 */
import axios, { type AxiosInstance } from 'axios';
import type { TenantConfig } from '../../config/schema.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** A write: never cut by the transport's `stop` (aborting it would leave unknown whether it landed). */
  write?: boolean;
}

export interface HttpAnswer {
  status: number;
  /** Parsed JSON; the raw text when it is not JSON; undefined when empty. */
  body: unknown;
  /** Set when a body was present but was not JSON. */
  notJson: boolean;
  retryAfter: string | null;
  /** performance.now() when the whole answer had arrived, before it was parsed (the slot's cooling counts from here). */
  receivedAt?: number;
}

export interface Transport {
  send(request: HttpRequest): Promise<HttpAnswer>;
}

/** A failure without an answer. Only a code and a short text: never the request, never its headers. */
export class TransportFailure extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'TransportFailure';
    this.code = code;
  }
}

/** docs/autotask-api.md#authentication: three credential headers on every call, plus ImpersonationResourceId on writes
 * (the tenant's, or one write's own). */
export function authHeaders(tenant: TenantConfig, write: boolean, impersonate?: number): Record<string, string> {
  const headers: Record<string, string> = {
    ApiIntegrationCode: tenant.integrationCode,
    UserName: tenant.username,
    Secret: tenant.secret,
    'Content-Type': 'application/json',
    Accept: 'application/json',
  };
  const as = impersonate ?? tenant.impersonationResourceId;
  if (write && as !== undefined) headers.ImpersonationResourceId = String(as);
  return headers;
}

export function parseBody(text: string): { body: unknown; notJson: boolean } {
  if (text.trim() === '') return { body: undefined, notJson: false };
  try {
    return { body: JSON.parse(text) as unknown, notJson: false };
  } catch {
    return { body: text, notJson: true };
  }
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * `stop`: the process is ending. The client lets a request it sent run to its answer (docs/autotask-api.md#thread-headroom),
 * so at the very end the ones nobody waits for any more are cut here rather than keeping the process alive.
 */
export function createAxiosTransport(options: { timeoutMs: number; instance?: AxiosInstance; stop?: AbortSignal }): Transport {
  const http = options.instance ?? axios.create();
  // Each request in flight, cut when `stop` aborts. A set of our own rather than AbortSignal.any(): combining a
  // process-long signal with one per request leaks the combined signals on some Node versions (nodejs/node#55351).
  const live = new Set<AbortController>();
  options.stop?.addEventListener('abort', () => { for (const cut of live) cut.abort(options.stop?.reason); }, { once: true });
  const withStop = (request: HttpRequest): { request: HttpRequest; done: () => void } => {
    if (!options.stop || request.write) return { request, done: () => undefined };
    const cut = new AbortController();
    if (options.stop.aborted) cut.abort(options.stop.reason);
    const forward = () => cut.abort(request.signal?.reason);
    if (request.signal?.aborted) forward();
    request.signal?.addEventListener('abort', forward, { once: true });
    live.add(cut);
    return { request: { ...request, signal: cut.signal }, done: () => { live.delete(cut); request.signal?.removeEventListener('abort', forward); } };
  };
  return {
    async send(sent) {
      const { request, done } = withStop(sent);
      try {
        return await exchange(request);
      } finally {
        done();
      }
    },
  };

  async function exchange(request: HttpRequest): Promise<HttpAnswer> {
    if (request.signal?.aborted) throw abortReason(request.signal);
    try {
      const response = await http.request<string>({
        method: request.method,
        url: request.url,
        headers: request.headers,
        data: request.body === undefined ? undefined : JSON.stringify(request.body),
        timeout: options.timeoutMs,
        signal: request.signal,
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        maxRedirects: 0,
      });
      const receivedAt = performance.now();
      const text = typeof response.data === 'string' ? response.data : '';
      const retryAfter = response.headers['retry-after'];
      return { status: response.status, ...parseBody(text), retryAfter: typeof retryAfter === 'string' ? retryAfter : null, receivedAt };
    } catch (error) {
      if (request.signal?.aborted) throw abortReason(request.signal);
      const code = (error as { code?: unknown }).code;
      const text = error instanceof Error ? error.message : String(error);
      throw new TransportFailure(typeof code === 'string' ? code : 'UNKNOWN', text.slice(0, 200));
    }
  }
}
