/**
 * The slot's cooling (issue 16 item 9, docs/autotask-api.md#thread-headroom): Autotask frees its thread a little
 * after answering, so the client gives the slot back at once but asks the governor to keep it counted for
 * autotask.slotReleaseDelayMs from the moment the answer arrived. No timer of the client holds the slot.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AutotaskTransientError } from '../../../src/autotask/index.js';
import { tallyRequests } from '../../../src/autotask/request-tally.js';
import { client, failure, ORIGIN, recordingGovernor, settings } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); });

const COOLING_MS = 5_000;

/** A count the server holds: `arrived` once the request is in, answered only when `answer()` is called. */
function heldCount(): { arrived: Promise<void>; answer: () => void } {
  let reply: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => {
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query/count').reply((_uri, _body, callback) => {
      reply = () => callback(null, [200, { queryCount: 1 }]);
      resolve();
    });
  });
  return { arrived, answer: () => reply() };
}

describe('slot cooling', () => {
  it('gives the slot back before the call returns, counted for at most the delay from the answer\'s arrival', async () => {
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query/count').reply(200, { queryCount: 1 });
    const governor = recordingGovernor();
    expect(await client({ governor, settings: settings({ slotReleaseDelayMs: COOLING_MS }) }).count('Tickets', [])).toBe(1);
    // Released already (the old timer kept it until the delay ran out), and asked to cool for what is left of
    // the delay after the answer was parsed: more than nothing, never more than the delay.
    expect(governor.events).toEqual(['acquire Tickets', 'release Tickets cooling']);
    expect(governor.coolings).toHaveLength(1);
    expect(governor.coolings[0]).toBeGreaterThan(0);
    expect(governor.coolings[0]).toBeLessThanOrEqual(COOLING_MS);
  });

  it('cools for the whole delay when no answer arrived (the server may still be working on the request)', async () => {
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query/count').replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const governor = recordingGovernor();
    const error = await failure(client({ governor, settings: settings({ slotReleaseDelayMs: COOLING_MS, retries: 0 }) }).count('Tickets', []));
    expect(error).toBeInstanceOf(AutotaskTransientError);
    expect(governor.events).toEqual(['acquire Tickets', 'release Tickets cooling']);
    expect(governor.coolings).toEqual([COOLING_MS]);
  });

  it('a read aborted after it was sent keeps its slot until its answer arrives, then cools from that moment', async () => {
    const { arrived, answer } = heldCount();
    const governor = recordingGovernor();
    const controller = new AbortController();
    const pending = client({ governor, settings: settings({ slotReleaseDelayMs: COOLING_MS }) }).count('Tickets', [], controller.signal);
    await arrived;
    controller.abort(new Error('job cancelled'));
    await expect(pending).rejects.toThrow('job cancelled');
    // The caller has left; the server is still on the request, so the slot is still held.
    expect(governor.events).toEqual(['acquire Tickets']);
    answer();
    await vi.waitFor(() => expect(governor.events).toEqual(['acquire Tickets', 'release Tickets cooling']));
    expect(governor.coolings[0]).toBeGreaterThan(0);
    expect(governor.coolings[0]).toBeLessThanOrEqual(COOLING_MS);
  });

  it('a read aborted after it was sent is still counted to the run that sent it and in the client\'s metrics', async () => {
    const { arrived, answer } = heldCount();
    const api = client({ governor: recordingGovernor() });
    const controller = new AbortController();
    const { tally } = await tallyRequests(async () => {
      const pending = api.count('Tickets', [], controller.signal);
      await arrived;
      controller.abort(new Error('job cancelled'));
      await expect(pending).rejects.toThrow('job cancelled');
    });
    expect(tally.list()).toEqual([{ entity: 'Tickets', method: 'POST', count: 1 }]);
    answer();
    await vi.waitFor(() => expect(api.metrics().requests).toEqual([{ entity: 'Tickets', method: 'POST', status: '200', count: 1 }]));
  });

  it('does not cool a slot whose write was never sent (stopped while the slot was being taken)', async () => {
    const seen = nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets').reply(200, { itemId: 1 });
    const controller = new AbortController();
    const governor = recordingGovernor({ acquire: async () => { controller.abort(); } });
    await failure(client({ governor, settings: settings({ slotReleaseDelayMs: COOLING_MS }) })
      .create('Tickets', { title: 'x', companyID: 1, status: 1, priority: 2 }, controller.signal));
    expect(seen.isDone()).toBe(false);
    expect(governor.events).toEqual(['acquire Tickets', 'release Tickets']);
    expect(governor.coolings).toEqual([]);
  });

  it('with no delay configured, releases without cooling', async () => {
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query/count').reply(200, { queryCount: 1 });
    const governor = recordingGovernor();
    await client({ governor, settings: settings({ slotReleaseDelayMs: 0 }) }).count('Tickets', []);
    expect(governor.events).toEqual(['acquire Tickets', 'release Tickets']);
  });

  it('tells the governor of a thread-limit 429, so the tenant\'s slots cool longer (a 429 of the hourly threshold does not)', async () => {
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query/count').reply(429,
      { errors: ['The thread threshold of 3 threads has been exceeded for this API integration code on the Tickets endpoint (Itgenatr005).'] });
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query/count').reply(200, { queryCount: 1 });
    const governor = recordingGovernor();
    expect(await client({ governor, settings: settings({ slotReleaseDelayMs: 20 }) }).count('Tickets', [])).toBe(1);
    expect(governor.events.filter((e) => e.startsWith('thread-limit'))).toEqual(['thread-limit Tickets']);
  });
});
