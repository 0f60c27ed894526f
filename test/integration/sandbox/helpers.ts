/** Plain-fetch access to a sandbox, as any HTTP client would see it. */
import type { SandboxHandle } from '../../../src/sandbox/index.js';

export interface Reply<T = unknown> {
  status: number;
  json: T;
}

export function authHeaders(sandbox: SandboxHandle, overrides: Record<string, string> = {}): Record<string, string> {
  return { ApiIntegrationCode: sandbox.credentials.integrationCode, UserName: sandbox.credentials.username,
    Secret: sandbox.credentials.secret, 'Content-Type': 'application/json', ...overrides };
}

export function client(sandbox: SandboxHandle) {
  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown,
    headers: Record<string, string> = {}): Promise<Reply<T>> => {
    const url = path.startsWith('http') ? path : `${sandbox.url}V1.0/${path}`;
    const response = await fetch(url, { method, headers: authHeaders(sandbox, headers),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const text = await response.text();
    return { status: response.status, json: (text ? JSON.parse(text) : null) as T };
  };
  return {
    call,
    get: <T = Record<string, unknown>>(path: string) => call<T>('GET', path),
    post: <T = Record<string, unknown>>(path: string, body: unknown) => call<T>('POST', path, body),
    patch: <T = Record<string, unknown>>(path: string, body: unknown) => call<T>('PATCH', path, body),
    query: <T = Record<string, unknown>>(entity: string, filter: unknown[], extra: Record<string, unknown> = {}) =>
      call<{ items: T[]; pageDetails: { count: number; requestCount: number; nextPageUrl: string | null; prevPageUrl: string | null } }>(
        'POST', `${entity}/query`, { filter, ...extra }),
  };
}

export const ALL = [{ op: 'gte', field: 'id', value: 0 }];
