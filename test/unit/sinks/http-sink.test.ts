import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpSink } from '../../../src/sinks/http-sink.js';
import { SinkDeliveryError } from '../../../src/sinks/invoice-sink.js';
import { verifyInvoiceSignature } from '../../../src/sinks/signature.js';
import { invoiceDoc } from './fixtures.js';

const SECRET = 'invoice-webhook-test-secret';

interface Received { headers: IncomingMessage['headers']; body: string }
type Answer = (req: Received, res: ServerResponse) => void;

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = null;
});

/** A local receiver on 127.0.0.1 that answers from the list, one answer per request (the last one repeats). */
async function receiver(answers: Answer[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(entry);
      (answers[Math.min(received.length - 1, answers.length - 1)] as Answer)(entry, res);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/invoices?token=abc`, received };
}

const status = (code: number, body = '', headers: Record<string, string> = {}): Answer => (_req, res) => {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(body);
};
const fast = { minRetryDelayMs: 5, maxRetryDelayMs: 20, timeoutMs: 2_000 };

describe('http sink', () => {
  it('POSTs the JSON with its tenant, signed with HMAC-SHA256 and keyed by tenant and invoiceKey', async () => {
    const { url, received } = await receiver([status(201, '{"id":"R-77"}')]);
    const doc = invoiceDoc();
    const delivery = await createHttpSink({ url, secret: SECRET, tenant: 'acme', ...fast }).deliver(doc);
    expect(delivery).toEqual({ confirmed: true, reference: 'R-77' });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(JSON.parse(request?.body ?? '')).toEqual({ tenant: 'acme', ...doc });
    // An invoiceKey is unique only within a tenant: another tenant's same key must not be de-duplicated into this one.
    expect(request?.headers['idempotency-key']).toBe(`acme:${doc.invoiceKey}`);
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyInvoiceSignature(SECRET, request?.body ?? '', request?.headers['x-signature'] as string)).toBe(true);
    expect(verifyInvoiceSignature('another-secret', request?.body ?? '', request?.headers['x-signature'] as string)).toBe(false);
    expect(JSON.stringify(request?.headers)).not.toContain(SECRET);
  });

  it('retries a 503 (and a 429 with Retry-After) with the same key and body, then succeeds', async () => {
    const { url, received } = await receiver([status(503), status(429, '', { 'retry-after': '0' }), status(200, 'ok')]);
    const warnings: Array<Record<string, unknown>> = [];
    const delivery = await createHttpSink({ url, secret: SECRET, tenant: 'acme', ...fast,
      logger: { warn: (object) => warnings.push(object) } }).deliver(invoiceDoc());
    expect(delivery).toEqual({ confirmed: true, reference: 'HTTP 200' });
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(new Set(received.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(warnings.map((w) => w.attempt)).toEqual([1, 2]);
    expect(JSON.stringify(warnings)).not.toContain(SECRET);
  });

  it('does not retry a 400 and fails with a non-retryable error that names neither secret nor query', async () => {
    const { url, received } = await receiver([status(400, '{"error":"bad"}')]);
    const error = await createHttpSink({ url, secret: SECRET, tenant: 'acme', ...fast }).deliver(invoiceDoc()).catch((e: unknown) => e);
    expect(received).toHaveLength(1);
    expect(error).toBeInstanceOf(SinkDeliveryError);
    expect((error as SinkDeliveryError).retryable).toBe(false);
    expect((error as SinkDeliveryError).message).toContain('HTTP 400');
    expect((error as SinkDeliveryError).message).not.toContain('token=abc');
    expect(JSON.stringify((error as SinkDeliveryError).toJSON())).not.toContain(SECRET);
  });

  it('gives up after the retries with a retryable error, and retries network failures', async () => {
    const { url, received } = await receiver([status(500)]);
    const error = await createHttpSink({ url, secret: SECRET, tenant: 'acme', ...fast, retries: 2 }).deliver(invoiceDoc()).catch((e: unknown) => e);
    expect(received).toHaveLength(3);
    expect((error as SinkDeliveryError).retryable).toBe(true);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = null;
    const refused = await createHttpSink({ url, secret: SECRET, tenant: 'acme', ...fast, retries: 1 }).deliver(invoiceDoc()).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SinkDeliveryError);
    expect((refused as SinkDeliveryError).message).toContain('ECONNREFUSED');
  });

  it('times out a receiver that does not answer, and rejects non-http URLs', async () => {
    const { url } = await receiver([() => undefined]);
    const error = await createHttpSink({ url, secret: SECRET, tenant: 'acme', ...fast, timeoutMs: 100, retries: 0 }).deliver(invoiceDoc())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkDeliveryError);
    expect((error as SinkDeliveryError).retryable).toBe(true);
    expect(() => createHttpSink({ url: 'ftp://example.test/x', secret: SECRET, tenant: 'acme' })).toThrow(SinkDeliveryError);
  });
});
