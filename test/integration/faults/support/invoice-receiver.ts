/**
 * A local receiver for the HTTP invoice sink (INVOICE_WEBHOOK_URL): it records every POST with its
 * Idempotency-Key and body, and answers 200 — or lets the test act first (e.g. kill the worker while the
 * delivery is in flight, the "delivered but never confirmed" moment).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  key: string;
  body: string;
}

export class InvoiceReceiver {
  readonly deliveries: ReceivedDelivery[] = [];
  /** Called before a delivery is answered; return false to drop the connection instead of answering. */
  beforeAnswer: (delivery: ReceivedDelivery) => boolean = () => true;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const delivery = { key: String(req.headers['idempotency-key'] ?? ''), body: Buffer.concat(chunks).toString() };
        this.deliveries.push(delivery);
        if (!this.beforeAnswer(delivery)) { req.socket.destroy(); return; }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ reference: `rcv-${this.deliveries.length}` }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/invoices`;
  }

  /** POSTs per Idempotency-Key. */
  countsByKey(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const d of this.deliveries) counts.set(d.key, (counts.get(d.key) ?? 0) + 1);
    return counts;
  }

  /** Keys that were POSTed with more than one distinct body (a repeat must be the same document). */
  keysWithDifferentBodies(): string[] {
    const bodies = new Map<string, Set<string>>();
    for (const d of this.deliveries) bodies.set(d.key, (bodies.get(d.key) ?? new Set()).add(d.body));
    return [...bodies].filter(([, set]) => set.size > 1).map(([key]) => key);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
