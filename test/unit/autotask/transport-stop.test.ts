/**
 * The client lets a read it sent run to its answer even when its caller has gone, so its slot stays held while
 * Autotask still works on it (docs/autotask-api.md#thread-headroom). When the process stops, the transport's
 * `stop` cuts those reads so they do not keep the process alive; a write is never cut.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAxiosTransport } from '../../../src/autotask/transport.js';
import { ORIGIN } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); });

/** An endpoint that answers only when `open()` is called, and says when the request has arrived. */
function gated(path: string) {
  let open: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => {
    nock(ORIGIN).post(path).reply((_uri, _body, callback) => {
      open = () => callback(null, [200, { itemId: 7 }]);
      resolve();
    });
  });
  return { arrived, open: () => open() };
}

describe('the transport\'s stop', () => {
  it('cuts a read in flight, and refuses reads after it', async () => {
    const stop = new AbortController();
    const transport = createAxiosTransport({ timeoutMs: 60_000, stop: stop.signal });
    const endpoint = gated('/ATServicesRest/V1.0/Tickets/query');
    const read = transport.send({ method: 'POST', url: `${ORIGIN}/ATServicesRest/V1.0/Tickets/query`, headers: {}, body: {} });
    read.catch(() => undefined);
    await endpoint.arrived;
    stop.abort(new DOMException('the process is stopping', 'AbortError'));
    await expect(read).rejects.toMatchObject({ name: 'AbortError' });
    await expect(transport.send({ method: 'POST', url: `${ORIGIN}/ATServicesRest/V1.0/Tickets/query`, headers: {}, body: {} }))
      .rejects.toMatchObject({ name: 'AbortError' });
  });

  it('lets a write in flight finish', async () => {
    const stop = new AbortController();
    const transport = createAxiosTransport({ timeoutMs: 60_000, stop: stop.signal });
    const endpoint = gated('/ATServicesRest/V1.0/Tickets');
    const write = transport.send({ method: 'POST', url: `${ORIGIN}/ATServicesRest/V1.0/Tickets`, headers: {}, body: {}, write: true });
    await endpoint.arrived;
    stop.abort(new DOMException('the process is stopping', 'AbortError'));
    endpoint.open();
    expect(await write).toMatchObject({ status: 200, body: { itemId: 7 } });
  });

  it('still honours the request\'s own signal', async () => {
    const stop = new AbortController();
    const transport = createAxiosTransport({ timeoutMs: 60_000, stop: stop.signal });
    const endpoint = gated('/ATServicesRest/V1.0/Tickets/query');
    const own = new AbortController();
    const read = transport.send({ method: 'POST', url: `${ORIGIN}/ATServicesRest/V1.0/Tickets/query`, headers: {}, body: {}, signal: own.signal });
    read.catch(() => undefined);
    await endpoint.arrived;
    own.abort(new Error('caller left'));
    await expect(read).rejects.toThrow('caller left');
  });
});
