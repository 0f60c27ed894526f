/**
 * Issue 17 item 6: slow and silent clients are cut off. A client that sends its headers and never the body (or
 * never finishes its headers) must not hold a socket forever, so each test opens a raw TCP connection, sends a
 * partial request, and waits for the server to close it (the test timeout is the only bound; no elapsed-time
 * assertions). The deadlines are set short in SYNC_CONFIG's `http` section so the test is quick.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProduct, type Product } from '../../helpers/product.js';

let p: Product;
let port: number;

beforeAll(async () => {
  p = await startProduct({ worker: false, env: { AUTOTASK_WEBHOOK_SECRET: 'slow-client-webhook-secret' },
    file: { http: { headersTimeoutMs: 300, requestTimeoutMs: 600, idleTimeoutMs: 2_000, keepAliveTimeoutMs: 300, maxHeaderBytes: 2_048 } } });
  port = Number(new URL(p.url).port);
});
afterAll(async () => { await p?.close(); });

/** Sends `text` on a fresh connection; resolves with everything the server sent once it closed the socket. */
function sendAndAwaitClose(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('data', (chunk) => { received += chunk.toString(); });
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => resolve(received));
  });
}

describe('HTTP server deadlines', () => {
  it('closes a webhook request whose headers arrived but whose body never does (408)', async () => {
    const answer = await sendAndAwaitClose('POST /webhooks/autotask HTTP/1.1\r\nHost: worker\r\nContent-Type: application/json\r\n' +
      'X-Hook-Signature: c2lnbmF0dXJl\r\nContent-Length: 200\r\n\r\n{"Action":');
    expect(answer === '' || answer.startsWith('HTTP/1.1 408'), answer).toBe(true);
  }, 20_000);

  it('closes a connection whose headers never finish', async () => {
    const answer = await sendAndAwaitClose('GET /healthz HTTP/1.1\r\nHost: worker\r\nX-Slow: ');
    expect(answer === '' || answer.startsWith('HTTP/1.1 408'), answer).toBe(true);
  }, 20_000);

  it('refuses headers over the limit with 431', async () => {
    const answer = await sendAndAwaitClose(`GET /healthz HTTP/1.1\r\nHost: worker\r\nX-Big: ${'a'.repeat(4_000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431/);
  }, 20_000);

  it('closes an idle keep-alive connection after its request was answered', async () => {
    const answer = await sendAndAwaitClose('GET /healthz HTTP/1.1\r\nHost: worker\r\nConnection: keep-alive\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer.toLowerCase()).toContain('keep-alive: timeout=');
  }, 20_000);

  it('refuses deadlines that contradict each other, naming the field', async () => {
    const { loadConfig } = await import('../../../config/load.js');
    expect(() => loadConfig({ env: {}, file: { http: { headersTimeoutMs: 5_000, requestTimeoutMs: 1_000 } } }))
      .toThrow(/http\.headersTimeoutMs: headersTimeoutMs must not exceed requestTimeoutMs/);
  });
});
