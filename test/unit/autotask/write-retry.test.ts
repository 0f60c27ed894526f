import { inspect } from 'node:util';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AutotaskAuthError, AutotaskThreadLimitError, AutotaskTransientError, AutotaskValidationError, BudgetExhaustedError, CreateOutcomeUnknownError,
} from '../../../src/autotask/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { client, CODE, failure, ORIGIN, recordingGovernor, SECRET, settings, tenant } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
});

/** A persistent interceptor answering from a script, one entry per request; counts requests. */
function scripted(method: 'post' | 'patch' | 'get', path: string, answers: Array<[number, unknown, Record<string, string>?] | 'reset' | 'timeout'>) {
  const seen: Array<{ body: unknown; headers: Record<string, unknown> }> = [];
  const scope = nock(ORIGIN).persist();
  const interceptor = scope[method](path);
  let i = 0;
  interceptor.reply(function (_uri, body, callback) {
    seen.push({ body, headers: { ...this.req.headers } });
    const answer = answers[Math.min(i, answers.length - 1)]!;
    i += 1;
    if (answer === 'reset') {
      callback(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), [0, '']);
      return;
    }
    // A "timeout" never answers: only the client's own timeout (or abort) ends the request, on any machine.
    if (answer === 'timeout') return;
    callback(null, [answer[0], answer[1] as nock.Body, answer[2] ?? {}]);
  });
  return seen;
}

describe('writes', () => {
  it('create POSTs /{Entity} and returns itemId, with ImpersonationResourceId when configured', async () => {
    const seen = scripted('post', '/ATServicesRest/V1.0/Tickets', [[200, { itemId: 9001 }]]);
    const c = client({ tenant: tenant({ impersonationResourceId: 29682885 }) });
    expect(await c.create('Tickets', { title: 'Disk full', companyID: 1, status: 1, priority: 2 })).toBe(9001);
    expect(seen[0]!.body).toEqual({ title: 'Disk full', companyID: 1, status: 1, priority: 2 });
    expect(seen[0]!.headers).toMatchObject({ impersonationresourceid: '29682885', secret: SECRET, apiintegrationcode: CODE,
      username: 'api@example.com', 'content-type': 'application/json' });
  });

  it('sends no ImpersonationResourceId on reads', async () => {
    const seen = scripted('get', '/ATServicesRest/V1.0/Tickets/1', [[200, { item: null }]]);
    expect(await client({ tenant: tenant({ impersonationResourceId: 5 }) }).get('Tickets', 1)).toBeNull();
    expect(seen[0]!.headers.impersonationresourceid).toBeUndefined();
  });

  it('update PATCHes the collection with id in the body', async () => {
    const seen = scripted('patch', '/ATServicesRest/V1.0/Tickets', [[200, { itemId: 77 }]]);
    expect(await client().update('Tickets', { id: 77, problemTicketId: 70 })).toBe(77);
    expect(seen[0]!.body).toEqual({ id: 77, problemTicketId: 70 });
  });

  it('createChild POSTs /{Parent}/{id}/{Child}', async () => {
    const seen = scripted('post', '/ATServicesRest/V1.0/Tickets/77/Notes', [[200, { itemId: 5 }]]);
    expect(await client().createChild('Tickets', 77, 'Notes', { title: 'Linked', description: 'x', noteType: 1, publish: 1 })).toBe(5);
    expect(seen).toHaveLength(1);
    expect(() => client().createChild('Tickets', 77, '../Contracts', {})).toThrow(/child entity/);
  });
});

describe('ambiguous creates are not retried', () => {
  it.each([
    ['a bare 500', [500, { errors: ['Internal server error'] }] as [number, unknown]],
    ['a connection reset', 'reset' as const],
    ['a 504', [504, ''] as [number, unknown]],
    ['a 200 without itemId', [200, { ok: true }] as [number, unknown]],
  ])('%s → CreateOutcomeUnknownError after exactly one request', async (_name, answer) => {
    const seen = scripted('post', '/ATServicesRest/V1.0/TimeEntries', [answer, [200, { itemId: 1 }]]);
    const error = await failure(client().create('TimeEntries', { ticketID: 1, hoursWorked: 1 }));
    expect(error).toBeInstanceOf(CreateOutcomeUnknownError);
    expect((error as CreateOutcomeUnknownError).message).toMatch(/TimeEntries may have happened/);
    expect(seen).toHaveLength(1);
  });

  it('a timeout on a create is ambiguous too', async () => {
    const seen = scripted('post', '/ATServicesRest/V1.0/TimeEntries', ['timeout']);
    const error = await failure(client({ settings: settings({ requestTimeoutMs: 1_000 }) }).create('TimeEntries', {}));
    expect(error).toBeInstanceOf(CreateOutcomeUnknownError);
    expect(seen).toHaveLength(1);
  });

  it('a 429 on a create means not executed: retried', async () => {
    const seen = scripted('post', '/ATServicesRest/V1.0/Tickets', [
      [429, { errors: ['The Autotask API thread threshold of 3 threads has been exceeded.'] }], [200, { itemId: 3 }]]);
    const c = client();
    expect(await c.create('Tickets', {})).toBe(3);
    expect(seen).toHaveLength(2);
    expect(c.metrics()).toMatchObject({ retries: 1, throttled: 1 });
  });
});

describe('retries', () => {
  it('retries transient failures with backoff until success and counts them', async () => {
    const seen = scripted('post', '/ATServicesRest/V1.0/Tickets/query/count', [[503, ''], 'reset', [500, { errors: ['Internal server error'] }],
      [200, { queryCount: 4 }]]);
    const c = client();
    expect(await c.count('Tickets', [])).toBe(4);
    expect(seen).toHaveLength(4);
    const m = c.metrics();
    expect(m.retries).toBe(3);
    expect(m.requests).toEqual([
      { entity: 'Tickets', method: 'POST', status: '200', count: 1 },
      { entity: 'Tickets', method: 'POST', status: '500', count: 1 },
      { entity: 'Tickets', method: 'POST', status: '503', count: 1 },
      { entity: 'Tickets', method: 'POST', status: 'ECONNRESET', count: 1 },
    ]);
  });

  it('retries a read timeout', async () => {
    const seen = scripted('post', '/ATServicesRest/V1.0/Tickets/query/count', ['timeout', [200, { queryCount: 1 }]]);
    expect(await client({ settings: settings({ requestTimeoutMs: 1_000 }) }).count('Tickets', [])).toBe(1);
    expect(seen).toHaveLength(2);
  });

  it('gives up after settings.retries and throws the last transient error', async () => {
    const seen = scripted('post', '/ATServicesRest/V1.0/Tickets/query/count', [[502, '']]);
    const error = await failure(client({ settings: settings({ retries: 2 }) }).count('Tickets', []));
    expect(error).toBeInstanceOf(AutotaskTransientError);
    expect(seen).toHaveLength(3);
  });

  it('never retries a validation error', async () => {
    const seen = scripted('post', '/ATServicesRest/V1.0/Tickets', [
      [500, { errors: ['Reference value on field: contactID of type: Contact does not exist or is invalid.'] }]]);
    const error = await failure(client().create('Tickets', { contactID: 4 }));
    expect(error).toBeInstanceOf(AutotaskValidationError);
    expect(seen).toHaveLength(1);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const waits: number[] = [];
    const now = Date.parse('2026-11-02T14:00:00Z');
    scripted('post', '/ATServicesRest/V1.0/Tickets/query/count', [
      [429, '', { 'Retry-After': '3' }], [503, '', { 'Retry-After': 'Mon, 02 Nov 2026 14:00:02 GMT' }], [200, { queryCount: 2 }]]);
    const c = client({ settings: settings({ retryMinMs: 10, retryMaxMs: 10_000 }), now: () => now,
      sleep: async (ms) => { waits.push(ms); } });
    expect(await c.count('Tickets', [])).toBe(2);
    // p-retry waits at least retryMinMs·2^n itself; the client sleeps the rest of what Retry-After asks.
    expect(waits).toEqual([3000 - 10, 2000 - 20]);
  });

  it('does not wait out a Retry-After longer than retryMaxMs in-process: the error carries it to the queue', async () => {
    const seen = scripted('post', '/ATServicesRest/V1.0/Tickets/query/count', [[429, '', { 'Retry-After': '120' }]]);
    const error = await failure(client().count('Tickets', []));
    expect(error).toBeInstanceOf(AutotaskThreadLimitError);
    expect((error as AutotaskThreadLimitError).retryAfterMs).toBe(120_000);
    expect((error as AutotaskThreadLimitError).retryable).toBe(true);
    expect(seen).toHaveLength(1);
  });
});

describe('the governor', () => {
  it('wraps every request in acquire/release, also failed ones', async () => {
    scripted('post', '/ATServicesRest/V1.0/Tickets/query/count', [[503, ''], [200, { queryCount: 1 }]]);
    const governor = recordingGovernor();
    await client({ governor }).count('Tickets', []);
    expect(governor.events).toEqual(['acquire Tickets', 'release Tickets', 'acquire Tickets', 'release Tickets']);
  });

  it('throws BudgetExhaustedError through unchanged and sends nothing', async () => {
    const exhausted = new BudgetExhaustedError(new Date('2026-11-02T15:00:00Z'), 5000, 5000);
    const governor = recordingGovernor({ acquire: async () => { throw exhausted; } });
    const seen = scripted('post', '/ATServicesRest/V1.0/Tickets/query/count', [[200, { queryCount: 1 }]]);
    expect(await failure(client({ governor }).count('Tickets', []))).toBe(exhausted);
    expect(seen).toHaveLength(0);
  });

  it('reads ThresholdInformation once when stale, even for concurrent requests, and feeds the governor', async () => {
    const threshold = scripted('get', '/ATServicesRest/V1.0/ThresholdInformation', [
      [200, { externalRequestThreshold: 10_000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 1234 }]]);
    scripted('post', '/ATServicesRest/V1.0/Tickets/query/count', [[200, { queryCount: 1 }]]);
    const governor = recordingGovernor({ stale: true });
    const c = client({ governor });
    await Promise.all([c.count('Tickets', []), c.count('Tickets', []), c.count('Tickets', [])]);
    expect(threshold).toHaveLength(1);
    expect(governor.events.filter((e) => e.startsWith('observe'))).toEqual(['observe 1234/10000']);
    expect(governor.events.filter((e) => e === 'acquire ThresholdInformation')).toHaveLength(1);
    // metrics() is synchronous; the governor's snapshot is refreshed in the background.
    await vi.waitFor(() => expect(c.metrics().budget).toEqual({ used: 12, ceiling: 5000, threshold: 10_000, left: 4988 }));
    expect(c.metrics().slotsInUse).toEqual({ Tickets: 1 });
  });

  it('a failing ThresholdInformation does not fail the request', async () => {
    scripted('get', '/ATServicesRest/V1.0/ThresholdInformation', [[403, { errors: ['no access'] }]]);
    scripted('post', '/ATServicesRest/V1.0/Tickets/query/count', [[200, { queryCount: 1 }]]);
    expect(await client({ governor: recordingGovernor({ stale: true }) }).count('Tickets', [])).toBe(1);
  });

  it('without a governor, metrics report the last ThresholdInformation read', async () => {
    scripted('get', '/ATServicesRest/V1.0/ThresholdInformation', [
      [200, { externalRequestThreshold: 10_000, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 4000 }]]);
    const c = client();
    await c.thresholdInformation();
    expect(c.metrics().budget).toEqual({ used: 4000, ceiling: 5000, threshold: 10_000, left: 1000 });
  });
});

describe('redaction', () => {
  it('keeps the secret and integration code out of errors, serialised errors and logs', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', destination: { write: (line: string) => { lines.push(line); } } });
    scripted('post', '/ATServicesRest/V1.0/Tickets/query/count', ['reset', [503, ''],
      [500, { errors: [`Invalid Secret '${SECRET}' for integration ${CODE}`] }]]);
    const error = await failure(client({ logger }).count('Tickets', []));
    // "Invalid secret" reads as an auth failure; what matters here is that the echoed values are gone.
    expect(error).toBeInstanceOf(AutotaskAuthError);
    const e = error as AutotaskAuthError;
    for (const text of [e.message, JSON.stringify(e), inspect(e, { depth: 10 }), String(e.stack), JSON.stringify(e.errors), lines.join('\n')]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(CODE);
    }
    expect(e.message).toContain('[redacted]');
    expect(lines.length).toBeGreaterThan(0);
  });

  it('a transport failure carries no request headers', async () => {
    scripted('post', '/ATServicesRest/V1.0/Tickets', ['reset']);
    const error = await failure(client().create('Tickets', {}));
    const text = inspect(error, { depth: 20 }) + JSON.stringify(error);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(CODE);
    expect(text).not.toMatch(/ApiIntegrationCode/i);
  });
});

describe('abort', () => {
  it('an aborted request rejects promptly and is not retried; its slot goes back when the exchange ends', async () => {
    const seen = scripted('post', '/ATServicesRest/V1.0/Tickets/query/count', ['timeout']);
    const governor = recordingGovernor();
    const controller = new AbortController();
    const pending = client({ governor, settings: settings({ requestTimeoutMs: 1_000 }) }).count('Tickets', [], controller.signal);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    controller.abort(new Error('job cancelled'));
    await expect(pending).rejects.toThrow('job cancelled');
    expect(seen).toHaveLength(1);
    // The server may still be working on it (docs/autotask-api.md#thread-headroom): held until the client's own
    // timeout ends the exchange, then given back.
    expect(governor.events).toEqual(['acquire Tickets']);
    await vi.waitFor(() => expect(governor.events).toEqual(['acquire Tickets', 'release Tickets']), { timeout: 10_000 });
    expect(seen).toHaveLength(1);
  });
});
