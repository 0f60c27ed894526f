import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AutotaskAuthError } from '../../../src/autotask/index.js';
import { client, CODE, failure, ORIGIN, SECRET, tenant, ZONE_ORIGIN } from './helpers.js';

const ZONE_PATH = '/ATServicesRest/V1.0/zoneInformation';
const discovered = { tenant: tenant({ baseUrl: undefined }) };

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
});

function zoneAnswer(url: string) {
  return { zoneName: 'Pre-Release', url, webUrl: 'https://ww5.autotask.net/', ci: 5 };
}

describe('zone discovery', () => {
  it('asks zoneInformation without credentials, then calls the zone it names with the three headers', async () => {
    const zone = nock(ZONE_ORIGIN, { badheaders: ['Secret', 'ApiIntegrationCode', 'UserName'] })
      .get(ZONE_PATH).query({ user: 'api@example.com' })
      .reply(200, zoneAnswer('https://webservices5.autotask.net/ATServicesRest/'));
    const api = nock(ORIGIN, { reqheaders: { Secret: SECRET, ApiIntegrationCode: CODE, UserName: 'api@example.com',
      'Content-Type': 'application/json' } })
      .post('/ATServicesRest/V1.0/Tickets/query/count').times(2).reply(200, { queryCount: 7 });
    const c = client(discovered);
    expect(await c.count('Tickets', [])).toBe(7);
    // Cached: the second call does not ask again.
    expect(await c.count('Tickets', [])).toBe(7);
    expect(zone.isDone()).toBe(true);
    expect(api.isDone()).toBe(true);
  });

  it('url-encodes the user name and accepts a REST root without a trailing slash', async () => {
    const zone = nock(ZONE_ORIGIN).get(`${ZONE_PATH}?user=api%2Bsync%40example.com`)
      .reply(200, zoneAnswer('https://webservices5.autotask.net/ATServicesRest'));
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query/count').reply(200, { queryCount: 1 });
    const c = client({ tenant: tenant({ baseUrl: undefined, username: 'api+sync@example.com' }) });
    expect(await c.count('Tickets', [])).toBe(1);
    expect(zone.isDone()).toBe(true);
  });

  it('skips discovery when the tenant has a base URL', async () => {
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query/count').reply(200, { queryCount: 3 });
    expect(await client().count('Tickets', [])).toBe(3);
  });

  it('looks the zone up again once after a 401 and retries the request there', async () => {
    nock(ZONE_ORIGIN).get(ZONE_PATH).query(true).reply(200, zoneAnswer('https://webservices5.autotask.net/ATServicesRest/'));
    nock(ZONE_ORIGIN).get(ZONE_PATH).query(true).reply(200, zoneAnswer('https://webservices14.autotask.net/ATServicesRest/'));
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query/count').reply(401, '');
    const moved = nock('https://webservices14.autotask.net').post('/ATServicesRest/V1.0/Tickets/query/count')
      .reply(200, { queryCount: 2 });
    expect(await client(discovered).count('Tickets', [])).toBe(2);
    expect(moved.isDone()).toBe(true);
  });

  it('gives up after the one re-lookup when the 401 stays', async () => {
    let zoneCalls = 0;
    let apiCalls = 0;
    nock(ZONE_ORIGIN).persist().get(ZONE_PATH).query(true).reply(() => {
      zoneCalls += 1;
      return [200, zoneAnswer('https://webservices5.autotask.net/ATServicesRest/')];
    });
    nock(ORIGIN).persist().post('/ATServicesRest/V1.0/Tickets/query/count').reply(() => {
      apiCalls += 1;
      return [401, { Message: 'Authorization has been denied for this request.' }];
    });
    const error = await failure(client(discovered).count('Tickets', []));
    expect(error).toBeInstanceOf(AutotaskAuthError);
    expect((error as AutotaskAuthError).status).toBe(401);
    expect(zoneCalls).toBe(2);
    expect(apiCalls).toBe(2);
  });
});

describe('the three auth failure shapes (docs/autotask-api.md#zones, #authentication)', () => {
  it('unknown user: HTTP 500 "Zone information could not be determined" at discovery', async () => {
    let calls = 0;
    nock(ZONE_ORIGIN).persist().get(ZONE_PATH).query(true).reply(() => {
      calls += 1;
      return [500, { errors: ['Zone information could not be determined'] }];
    });
    const error = await failure(client(discovered).count('Tickets', []));
    expect(error).toBeInstanceOf(AutotaskAuthError);
    expect((error as AutotaskAuthError).errors).toEqual(['Zone information could not be determined']);
    expect(calls).toBe(1);
  });

  it('bad integration code: HTTP 500 "IntegrationCode is invalid."', async () => {
    let calls = 0;
    nock(ORIGIN).persist().post('/ATServicesRest/V1.0/Tickets/query').reply(() => {
      calls += 1;
      return [500, { errors: ['IntegrationCode is invalid.'] }];
    });
    const error = await failure(client().queryPages('Tickets', [])[Symbol.asyncIterator]().next());
    expect(error).toBeInstanceOf(AutotaskAuthError);
    expect((error as AutotaskAuthError).code).toBe('AUTOTASK_AUTH');
    expect(calls).toBe(1);
  });

  it('wrong secret: 401, not retried (a fixed base URL has no other zone)', async () => {
    let calls = 0;
    nock(ORIGIN).persist().get('/ATServicesRest/V1.0/Tickets/9').reply(() => {
      calls += 1;
      return [401, ''];
    });
    const error = await failure(client().get('Tickets', 9));
    expect(error).toBeInstanceOf(AutotaskAuthError);
    expect(calls).toBe(1);
  });
});
