/**
 * docs/autotask-api.md#paging: never send the credentials to a nextPageUrl whose origin differs from the tenant's. A fake tenant
 * on 127.0.0.1 answers the first page of a query with a nextPageUrl (or a redirect) pointing elsewhere; an
 * "attacker" server on another port records what reaches it. It must see nothing — and nothing carrying the
 * Secret or ApiIntegrationCode headers may reach any URL but the tenant's own query route.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { autotaskSection } from '../../../config/sections/autotask.js';
import { createAutotaskClient, f } from '../../../src/autotask/index.js';

const SECRET = 'NextPage-Secret-9f3c';
const CODE = 'NEXTPAGEINTEGRATIONCODE01';

interface Seen { method: string; url: string; headers: IncomingMessage['headers'] }

function listen(handler: (req: IncomingMessage, body: string, seen: Seen[]) => { status: number; json?: unknown; headers?: Record<string, string> }) {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const answer = handler(req, body, seen);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.json === undefined ? '' : JSON.stringify(answer.json));
    });
  });
  return new Promise<{ server: Server; seen: Seen[]; origin: string }>((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, seen, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

const ticket = (id: number) => ({ id, ticketNumber: `T2026.${id}`, title: `Ticket ${id}`, companyID: 1, status: 1, createDate: '2026-03-02T10:00:00Z' });

let tenant: Awaited<ReturnType<typeof listen>>;
let attacker: Awaited<ReturnType<typeof listen>>;
/** What the tenant answers to a first query page: a nextPageUrl, or a redirect. */
let firstPage: (origin: string) => { status: number; json?: unknown; headers?: Record<string, string> };

beforeAll(async () => {
  attacker = await listen(() => ({ status: 200, json: { items: [ticket(99)], pageDetails: { count: 1, nextPageUrl: null } } }));
  tenant = await listen((req) => {
    if (req.url === '/ATServicesRest/V1.0/Tickets/query') return firstPage(tenant.origin);
    return { status: 200, json: { items: [ticket(2)], pageDetails: { count: 1, nextPageUrl: null } } };
  });
});
afterEach(() => { tenant.seen.length = 0; attacker.seen.length = 0; });
afterAll(async () => {
  await Promise.all([tenant, attacker].map(({ server }) => new Promise((resolve) => server.close(resolve))));
});

function client() {
  return createAutotaskClient({
    tenant: { id: 'sec', username: 'api@example.com', secret: SECRET, integrationCode: CODE, zoneUrl: `${tenant.origin}/ATServicesRest/`,
      baseUrl: `${tenant.origin}/ATServicesRest/` },
    settings: { ...autotaskSection.parse({}), retries: 0, retryMinMs: 1, retryMaxMs: 5, requestTimeoutMs: 2_000 },
    zoneCache: new Map(),
  });
}

async function readAll(): Promise<{ ids: number[]; error?: Error }> {
  const ids: number[] = [];
  try {
    for await (const record of client().query('Tickets', f.gt('id', 0), { paging: 'nextPageUrl' })) ids.push(record.id as number);
    return { ids };
  } catch (error) {
    return { ids, error: error as Error };
  }
}

const page = (next: string) => ({ status: 200, json: { items: [ticket(1)], pageDetails: { count: 1, requestCount: 500, prevPageUrl: null, nextPageUrl: next } } });

describe('a nextPageUrl on another origin never receives credentials', () => {
  it('follows a same-origin nextPageUrl with the credentials (the control)', async () => {
    firstPage = (origin) => page(`${origin}/ATServicesRest/V1.0/Tickets/query/next?paging=abc`);
    const { ids, error } = await readAll();
    expect(error).toBeUndefined();
    expect(ids).toEqual([1, 2]);
    expect(tenant.seen.map((s) => `${s.method} ${s.url}`)).toEqual(['POST /ATServicesRest/V1.0/Tickets/query', 'POST /ATServicesRest/V1.0/Tickets/query/next?paging=abc']);
    expect(tenant.seen[1]!.headers.secret).toBe(SECRET);
  });

  it.each([
    ['another port on the same host', (_o: string) => `${attacker.origin}/ATServicesRest/V1.0/Tickets/query/next?paging=abc`],
    ['a protocol-relative URL', (_o: string) => `//${new URL(attacker.origin).host}/ATServicesRest/V1.0/Tickets/query/next`],
    ['the tenant as user info before the attacker host', (o: string) => `http://${new URL(o).host}@${new URL(attacker.origin).host}/next`],
    ['another host name for the same address', (o: string) => `http://localhost:${new URL(o).port}/ATServicesRest/V1.0/Tickets/query/next`],
    ['https instead of http', (o: string) => `https://${new URL(o).host}/ATServicesRest/V1.0/Tickets/query/next`],
  ])('refuses %s, sending nothing there', async (_name, next) => {
    firstPage = (origin) => page(next(origin));
    const { ids, error } = await readAll();
    expect(ids).toEqual([1]);
    expect(error).toMatchObject({ code: 'AUTOTASK_FOREIGN_ORIGIN' });
    expect(error!.message).not.toContain(SECRET);
    expect(attacker.seen).toEqual([]);
    // Only the first page reached the tenant's server, whatever host name it was called by.
    expect(tenant.seen.map((s) => s.url)).toEqual(['/ATServicesRest/V1.0/Tickets/query']);
  });

  it('does not follow a redirect to another origin', async () => {
    firstPage = () => ({ status: 302, headers: { location: `${attacker.origin}/ATServicesRest/V1.0/Tickets/query` } });
    const { error } = await readAll();
    expect(error).toBeDefined();
    expect(error!.message).not.toContain(SECRET);
    expect(attacker.seen).toEqual([]);
  });
});
