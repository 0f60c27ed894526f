import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FACTS, startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { ALL, authHeaders, client } from './helpers.js';

type Row = { id: number } & Record<string, unknown>;

describe('sandbox queries (docs/autotask-api.md#query-filters)', () => {
  let sandbox: SandboxHandle;
  let api: ReturnType<typeof client>;
  beforeAll(async () => { sandbox = await startSandbox({ scenario: 'demo' }); api = client(sandbox); });
  afterAll(async () => { await sandbox.close(); });

  const ids = async (entity: string, filter: unknown[]): Promise<number[]> => {
    const reply = await api.query<Row>(entity, filter);
    expect(reply.status).toBe(200);
    return reply.json.items.map((r) => r.id);
  };

  it('pages every billing item with nextPageUrl POSTed with the same body, ascending ids', async () => {
    const body = { filter: ALL, MaxRecords: 200 };
    const seen: number[] = [];
    let reply = await api.post<{ items: Row[]; pageDetails: { nextPageUrl: string | null; count: number; requestCount: number } }>('BillingItems/query', body);
    for (;;) {
      expect(reply.status).toBe(200);
      expect(reply.json.pageDetails.count).toBe(reply.json.items.length);
      expect(reply.json.pageDetails.requestCount).toBe(200);
      seen.push(...reply.json.items.map((r) => r.id));
      const next = reply.json.pageDetails.nextPageUrl;
      if (!next) break;
      expect(new URL(next).origin).toBe(new URL(sandbox.url).origin);
      reply = await api.call('POST', next, body);
    }
    expect(seen.length).toBe(DEMO_FACTS.billingItemCount);
    expect(seen.length).toBeGreaterThan(500);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers a GET on nextPageUrl with an IIS 405, and a different body with an error', async () => {
    const first = await api.query<Row>('Tickets', ALL, { MaxRecords: 10 });
    const next = first.json.pageDetails.nextPageUrl as string;
    const get = await fetch(next, { headers: authHeaders(sandbox) });
    expect(get.status).toBe(405);
    expect(await get.json()).toHaveProperty('Message');
    const other = await api.call<{ errors: string[] }>('POST', next, { filter: ALL, MaxRecords: 11 });
    expect(other.status).toBe(500);
    expect(other.json.errors.length).toBe(1);
    const prev = await api.call<{ items: Row[]; pageDetails: { prevPageUrl: string | null } }>('POST', next, { filter: ALL, MaxRecords: 10 });
    expect(prev.json.pageDetails.prevPageUrl).not.toBeNull();
    const back = await api.call<{ items: Row[] }>('POST', prev.json.pageDetails.prevPageUrl as string, { filter: ALL, MaxRecords: 10 });
    expect(back.json.items.map((r) => r.id)).toEqual(first.json.items.map((r) => r.id));
  });

  it('refuses MaxRecords outside 1..500 and an empty filter with HTTP 500', async () => {
    for (const max of [0, 501, -1, 2.5, '10']) {
      const reply = await api.query('Tickets', ALL, { MaxRecords: max });
      expect(reply.status, String(max)).toBe(500);
      expect((reply.json as unknown as { errors: string[] }).errors[0]).toBe('maxCountOfRecordsToReturn must be between 1 and 500');
    }
    expect((await api.query('Tickets', ALL, { MaxRecords: 500 })).status).toBe(200);
    expect((await api.query('Tickets', ALL, { MaxRecords: 1 })).json.items).toHaveLength(1);
    expect((await api.post('Tickets/query', { filter: [] })).status).toBe(500);
    expect((await api.post('Tickets/query', {})).status).toBe(500);
  });

  it('supports every operator', async () => {
    const narc = DEMO_FACTS.narcolepticServer;
    const ci = narc.configurationItemID;
    expect(await ids('Tickets', [{ op: 'eq', field: 'configurationItemID', value: ci }])).toEqual(narc.ticketIds);
    const notEq = await ids('Tickets', [{ op: 'noteq', field: 'configurationItemID', value: ci }, { op: 'exist', field: 'configurationItemID' }]);
    expect(notEq.some((id) => narc.ticketIds.includes(id))).toBe(false);
    const first = narc.ticketIds[0] as number;
    const last = narc.ticketIds.at(-1) as number;
    const inNarc = [{ op: 'eq', field: 'configurationItemID', value: ci }];
    expect(await ids('Tickets', [...inNarc, { op: 'gt', field: 'id', value: first }])).toEqual(narc.ticketIds.slice(1));
    expect(await ids('Tickets', [...inNarc, { op: 'gte', field: 'id', value: first }])).toEqual(narc.ticketIds);
    expect(await ids('Tickets', [...inNarc, { op: 'lt', field: 'id', value: last }])).toEqual(narc.ticketIds.slice(0, -1));
    expect(await ids('Tickets', [...inNarc, { op: 'lte', field: 'id', value: last }])).toEqual(narc.ticketIds);
    const begins = await ids('Tickets', [{ op: 'beginsWith', field: 'title', value: 'server srv-dc01' }]);
    expect(begins.length).toBeGreaterThan(3);
    const ends = await ids('Tickets', [{ op: 'endsWith', field: 'title', value: 'IS OFFLINE' }]);
    expect(ends).toEqual(expect.arrayContaining(narc.decoyTicketIds));
    const contains = await ids('Tickets', [{ op: 'contains', field: 'title', value: 'nightly-nas01' }]);
    expect(contains).toEqual(DEMO_FACTS.backupJob.ticketIds);
    const linked = await ids('Tickets', [{ op: 'exist', field: 'problemTicketId' }]);
    expect(linked).toEqual(DEMO_FACTS.backupJob.linkedTicketIds);
    const unlinkedBackups = await ids('Tickets', [{ op: 'notExist', field: 'problemTicketId' },
      { op: 'eq', field: 'configurationItemID', value: DEMO_FACTS.backupJob.configurationItemID }, { op: 'eq', field: 'ticketType', value: 2 }]);
    expect(unlinkedBackups).toEqual(DEMO_FACTS.backupJob.unlinkedTicketIds);
    const some = narc.ticketIds.slice(0, 3);
    expect(await ids('Tickets', [{ op: 'in', field: 'id', value: some }])).toEqual(some);
    const notIn = await ids('Tickets', [...inNarc, { op: 'notIn', field: 'id', value: some }]);
    expect(notIn).toEqual(narc.ticketIds.slice(3));
  });

  it('compares date-times, booleans and picklist numbers, with case-insensitive names', async () => {
    const all = (await api.query<Row>('Tickets', ALL)).json.items;
    const pivot = all[50]?.createDate as string;
    const after = await ids('Tickets', [{ op: 'gt', field: 'CREATEDATE', value: pivot }]);
    expect(after).toEqual(all.filter((t) => Date.parse(t.createDate as string) > Date.parse(pivot)).map((t) => t.id));
    const noZone = await ids('Tickets', [{ OP: 'gt', Field: 'createDate', Value: pivot.replace('Z', '') }]);
    expect(noZone).toEqual(after);
    expect((await ids('Resources', [{ op: 'eq', field: 'isActive', value: false }]))).toEqual([DEMO_FACTS.inactiveResourceId]);
    expect((await api.query('Resources', [{ op: 'eq', field: 'isActive', value: 'yes' }])).status).toBe(500);
    expect((await ids('Tickets', [{ op: 'eq', field: 'status', value: '5' }])).length).toBeGreaterThan(10);
  });

  it('evaluates nested and/or groups', async () => {
    const narc = DEMO_FACTS.narcolepticServer;
    const backup = DEMO_FACTS.backupJob;
    const either = await ids('Tickets', [{ op: 'or', items: [
      { op: 'eq', field: 'configurationItemID', value: narc.configurationItemID },
      { op: 'and', items: [{ op: 'eq', field: 'configurationItemID', value: backup.configurationItemID }, { op: 'eq', field: 'ticketType', value: 2 }] },
    ] }]);
    expect(either).toEqual([...narc.ticketIds, ...backup.ticketIds].sort((a, b) => a - b));
  });

  it('refuses unknown fields, non-queryable fields, bad operators and too many OR conditions', async () => {
    expect((await api.query('Tickets', [{ op: 'eq', field: 'nope', value: 1 }])).status).toBe(500);
    expect((await api.query('Tickets', [{ op: 'eq', field: 'creatorType', value: 1 }])).status).toBe(500);
    expect((await api.query('BillingItems', [{ op: 'contains', field: 'lineItemFullDescription', value: 'x' }])).status).toBe(500);
    expect((await api.query('Tickets', [{ op: 'like', field: 'title', value: 'x' }])).status).toBe(500);
    const many = Array.from({ length: 501 }, (_, i) => i + 1);
    expect((await api.query('Tickets', [{ op: 'in', field: 'id', value: many }])).status).toBe(500);
    expect((await api.query('Tickets', [{ op: 'in', field: 'id', value: many.slice(0, 500) }])).status).toBe(200);
  });

  it('counts with /query/count and answers GET ?search= the same as POST', async () => {
    const filter = [{ op: 'eq', field: 'configurationItemID', value: DEMO_FACTS.narcolepticServer.configurationItemID }];
    const count = await api.post<{ queryCount: number }>('Tickets/query/count', { filter });
    expect(count.json).toEqual({ queryCount: DEMO_FACTS.narcolepticServer.ticketIds.length });
    const search = encodeURIComponent(JSON.stringify({ filter }));
    const viaGet = await api.get<{ items: Row[] }>(`Tickets/query?search=${search}`);
    expect(viaGet.status).toBe(200);
    expect(viaGet.json.items.map((r) => r.id)).toEqual(DEMO_FACTS.narcolepticServer.ticketIds);
    const paged = await api.get<{ items: Row[]; pageDetails: { nextPageUrl: string } }>(
      `Tickets/query?search=${encodeURIComponent(JSON.stringify({ filter, MaxRecords: 10 }))}`);
    const rest = await api.get<{ items: Row[] }>(paged.json.pageDetails.nextPageUrl);
    expect([...paged.json.items, ...rest.json.items].map((r) => r.id)).toEqual(DEMO_FACTS.narcolepticServer.ticketIds);
    const countGet = await api.get<{ queryCount: number }>(`Tickets/query/count?search=${search}`);
    expect(countGet.json.queryCount).toBe(DEMO_FACTS.narcolepticServer.ticketIds.length);
    const all = await api.post<{ queryCount: number }>('BillingItems/query/count', { filter: ALL });
    expect(all.json.queryCount).toBe(DEMO_FACTS.billingItemCount);
  });

  it('gets one record by id and answers 200 {"item": null} when absent, as real tenants do', async () => {
    const id = DEMO_FACTS.existingProblemId;
    const found = await api.get<{ item: Row }>(`Tickets/${id}`);
    expect(found.status).toBe(200);
    expect(found.json.item.id).toBe(id);
    expect(found.json.item.ticketType).toBe(3);
    const missing = await api.get<{ item: Row | null }>('Tickets/1');
    expect(missing.status).toBe(200);
    expect(missing.json).toEqual({ item: null });
  });

  it('returns only IncludeFields (and id) when asked', async () => {
    const reply = await api.query<Row>('Tickets', ALL, { MaxRecords: 3, IncludeFields: ['Title', 'status'] });
    expect(Object.keys(reply.json.items[0] ?? {}).sort()).toEqual(['id', 'status', 'title']);
  });
});
