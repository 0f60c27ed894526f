import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AutotaskForeignOriginError, AutotaskSchemaError, f } from '../../../src/autotask/index.js';
import { InputError } from '../../../src/lib/errors.js';
import { client, collect, failure, fakeQueryEndpoint, ORIGIN, ticket } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
});

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('query paging by id', () => {
  it('reads 1,234 records in exactly 3 requests, AND-ing id gt <largest id> with the caller filter', async () => {
    const { bodies } = fakeQueryEndpoint('Tickets', range(1, 1234).map((id) => ticket(id)));
    const records = await collect(client().query('Tickets', f.eq('status', 1)));
    expect(records).toHaveLength(1234);
    expect(records.map((r) => r.id)).toEqual(range(1, 1234));
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toEqual({ filter: [{ op: 'eq', field: 'status', value: 1 }], MaxRecords: 500 });
    expect(bodies[1]!.filter).toEqual([{ op: 'eq', field: 'status', value: 1 }, { op: 'gt', field: 'id', value: 500 }]);
    expect(bodies[2]!.filter).toEqual([{ op: 'eq', field: 'status', value: 1 }, { op: 'gt', field: 'id', value: 1000 }]);
  });

  it('sends "everything" as id gte 0, honours pageSize and always includes id in IncludeFields', async () => {
    const { bodies } = fakeQueryEndpoint('Tickets', range(1, 25).map((id) => ticket(id)));
    const sizes: number[] = [];
    const pages = await collect(client().queryPages('Tickets', [], { pageSize: 10, includeFields: ['title'], onPage: (n) => sizes.push(n) }));
    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(sizes).toEqual([10, 10, 5]);
    expect(bodies[0]).toEqual({ filter: [{ op: 'gte', field: 'id', value: 0 }], MaxRecords: 10, IncludeFields: ['id', 'title'] });
  });

  it('clamps MaxRecords to 1..500', async () => {
    const { bodies } = fakeQueryEndpoint('Tickets', [ticket(1)]);
    await collect(client().query('Tickets', [], { pageSize: 5000 }));
    expect(bodies[0]!.MaxRecords).toBe(500);
  });

  it('refuses two user-defined fields in one query before sending anything', () => {
    expect(() => client().queryPages('Tickets', [f.udf('eq', 'A', 1), f.udf('eq', 'B', 2)])).toThrow(InputError);
  });
});

describe('query paging by nextPageUrl', () => {
  it('POSTs the same body to nextPageUrl (never a GET) until there is none', async () => {
    const sent: unknown[] = [];
    const first = range(1, 500).map((id) => ticket(id));
    const second = range(501, 734).map((id) => ticket(id));
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query').reply((_u, body) => {
      sent.push(body);
      return [200, { items: first, pageDetails: { count: 500, requestCount: 500, prevPageUrl: null,
        nextPageUrl: `${ORIGIN}/ATServicesRest/V1.0/Tickets/query/next?paging=abc123` } }];
    });
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query/next').query({ paging: 'abc123' }).reply((_u, body) => {
      sent.push(body);
      return [200, { items: second, pageDetails: { count: 234, requestCount: 500, prevPageUrl: 'x', nextPageUrl: null } }];
    });
    const records = await collect(client().query('Tickets', f.eq('status', 1), { paging: 'nextPageUrl' }));
    expect(records).toHaveLength(734);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual(sent[0]);
    expect(sent[0]).toEqual({ filter: [{ op: 'eq', field: 'status', value: 1 }], MaxRecords: 500 });
  });

  it('refuses a nextPageUrl on another origin, sending nothing there', async () => {
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query').reply(200, { items: range(1, 500).map((id) => ticket(id)),
      pageDetails: { nextPageUrl: 'https://collector.example.net/ATServicesRest/V1.0/Tickets/query/next?paging=1' } });
    const foreign = nock('https://collector.example.net').post(/.*/).reply(200, { items: [] });
    const pages: unknown[] = [];
    const error = await failure((async () => {
      for await (const page of client().queryPages('Tickets', [], { paging: 'nextPageUrl' })) pages.push(page);
    })());
    expect(error).toBeInstanceOf(AutotaskForeignOriginError);
    expect(pages).toHaveLength(1);
    expect(foreign.isDone()).toBe(false);
  });
});

describe('queryIn', () => {
  it('splits 1,200 ids into 3 requests of at most 500 values', async () => {
    const { bodies } = fakeQueryEndpoint('Tickets', range(1, 2000).map((id) => ticket(id)));
    const ids = range(101, 1300);
    const records = await collect(client().queryIn('Tickets', 'id', ids, [f.eq('status', 1)]));
    expect(records.map((r) => r.id)).toEqual(ids);
    expect(bodies).toHaveLength(3);
    const lists = bodies.map((b) => (b.filter.find((i) => 'op' in i && i.op === 'in') as { value: number[] }).value);
    expect(lists.map((l) => l.length)).toEqual([500, 500, 200]);
    expect(bodies[0]!.filter[0]).toEqual({ op: 'eq', field: 'status', value: 1 });
  });

  it('pages within a batch on a non-unique field and sends nothing for an empty list', async () => {
    const { bodies } = fakeQueryEndpoint('Tickets', range(1, 30).map((id) => ticket(id, { companyID: id % 2 })));
    const records = await collect(client().queryIn('Tickets', 'companyID', [0, 1, 1], [], { pageSize: 10 }));
    expect(records).toHaveLength(30);
    expect(bodies).toHaveLength(4);
    expect(await collect(client().queryIn('Tickets', 'id', []))).toEqual([]);
  });
});

describe('count and get', () => {
  it('counts with POST /query/count', async () => {
    const { counts } = fakeQueryEndpoint('Contracts', []);
    expect(await client().count('Contracts', f.eq('status', 1))).toBe(0);
    expect(counts).toEqual([[{ op: 'eq', field: 'status', value: 1 }]]);
  });

  it('gets {"item":…} validated, and null on 404', async () => {
    nock(ORIGIN).get('/ATServicesRest/V1.0/Tickets/42').reply(200, { item: ticket(42, { title: 'Printer\u0000 down' }) });
    nock(ORIGIN).get('/ATServicesRest/V1.0/Tickets/43').reply(404, '');
    const found = await client().get('Tickets', 42);
    expect(found?.title).toBe('Printer down');
    expect(found?.createDate).toBe('2026-11-02T14:05:33.217Z');
    expect(await client().get('Tickets', 43)).toBeNull();
  });
});

describe('schema validation', () => {
  it('stops with an error naming entity, id and field, never yielding a partial page', async () => {
    const items = [ticket(1), ticket(2), ticket(17, { companyID: 'ACME' }), ticket(18)];
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query').reply(200, { items, pageDetails: {} });
    const seen: unknown[] = [];
    const error = await failure((async () => {
      for await (const record of client().query('Tickets', [])) seen.push(record);
    })());
    expect(error).toBeInstanceOf(AutotaskSchemaError);
    const e = error as AutotaskSchemaError;
    expect([e.entity, e.recordId, e.field]).toEqual(['Tickets', 17, 'companyID']);
    expect(e.message).toMatch(/Tickets 17: field companyID/);
    expect(seen).toEqual([]);
  });

  it('validates get answers and metadata too', async () => {
    nock(ORIGIN).get('/ATServicesRest/V1.0/Contracts/5').reply(200, { item: { id: 5, companyID: 1 } });
    const error = await failure(client().get('Contracts', 5));
    expect(error).toMatchObject({ entity: 'Contracts', recordId: 5, field: 'contractName' });
    nock(ORIGIN).get('/ATServicesRest/V1.0/Tickets/entityInformation').reply(200, { info: { canCreate: 'yes' } });
    expect(await failure(client().entityInformation('Tickets'))).toMatchObject({ code: 'AUTOTASK_SCHEMA', field: 'canCreate' });
  });

  it('treats a 200 that is not the query envelope as a transient failure and retries it', async () => {
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query').reply(200, '<html>maintenance</html>');
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query').reply(200, { items: [ticket(1)] });
    const records = await collect(client().query('Tickets', []));
    expect(records).toHaveLength(1);
  });
});

describe('metadata', () => {
  it('reads entityInformation and fields once per client and returns active picklist values as numbers', async () => {
    const info = nock(ORIGIN).get('/ATServicesRest/V1.0/Tickets/entityInformation')
      .reply(200, { info: { name: 'Ticket', canCreate: true, canUpdate: true, canQuery: true, canDelete: false, supportsWebhookCallouts: true } });
    const fields = nock(ORIGIN).get('/ATServicesRest/V1.0/Tickets/entityInformation/fields').reply(200, { fields: [
      { name: 'id', dataType: 'long', isReadOnly: true, isQueryable: true, isPickList: false },
      { name: 'priority', dataType: 'integer', isPickList: true, picklistValues: [
        { value: '1', label: 'High', isActive: true, isSystem: true, parentValue: '' },
        { value: '4', label: 'Retired', isActive: false, isSystem: false },
        { value: '2', label: 'Medium', isActive: true, isSystem: true } ] },
    ] });
    const c = client();
    expect((await c.entityInformation('Tickets')).canCreate).toBe(true);
    expect((await c.entityInformation('Tickets')).supportsWebhookCallouts).toBe(true);
    const values = await c.picklist('Tickets', 'Priority');
    expect(values.map((v) => [v.value, v.label])).toEqual([[1, 'High'], [2, 'Medium']]);
    expect(await c.fields('Tickets')).toHaveLength(2);
    expect(info.isDone() && fields.isDone()).toBe(true);
    await expect(c.picklist('Tickets', 'id')).rejects.toThrow(/not a picklist/);
    await expect(c.picklist('Tickets', 'nope')).rejects.toThrow(InputError);
  });

  it('does not cache a failed read', async () => {
    nock(ORIGIN).get('/ATServicesRest/V1.0/Contracts/entityInformation').reply(403, { errors: ['no'] });
    nock(ORIGIN).get('/ATServicesRest/V1.0/Contracts/entityInformation')
      .reply(200, { info: { canCreate: true, canUpdate: true, canQuery: true, canDelete: false } });
    const c = client();
    await expect(c.entityInformation('Contracts')).rejects.toMatchObject({ code: 'AUTOTASK_PERMISSION' });
    expect((await c.entityInformation('Contracts')).canQuery).toBe(true);
  });
});

