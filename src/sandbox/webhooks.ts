/**
 * Ticket webhooks as Autotask sends them (docs/autotask-api.md#webhooks): payload keys Action, Guid, EntityType, Id,
 * Fields, EventTime, SequenceNumber, PersonID (the Guid is the webhook's, the same on each of its callouts); header `X-Hook-Signature: sha1=<base64 HMAC-SHA1(secret, raw
 * body)>`. Delivery is fire-and-forget with a short timeout, so a slow receiver never slows the API.
 * `signatureOver: 'escaped'` signs the `\uXXXX`-escaped form of the raw JSON that Autotask has been seen
 * signing (docs/autotask-samples.md), so a receiver's fallback check can be exercised.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { escapeAutotaskJson } from '../lib/hook-signature.js';

export interface WebhookOptions {
  url: string;
  secret: string;
  /** Delivery timeout, ms (default 2,000; Autotask waits 10 s). */
  timeoutMs?: number;
  /** Which form of the JSON the signature is computed over (default 'raw'). */
  signatureOver?: 'raw' | 'escaped';
}

export interface WebhookDelivery {
  sequenceNumber: number;
  action: 'Create' | 'Update';
  id: number;
  /** HTTP status of the receiver's answer, or null when the delivery failed. */
  status: number | null;
  error?: string;
}

/** Autotask's escaped form of the body: the receiver's own escaping (src/lib/hook-signature.ts), one for both. */
export function escapedJson(raw: string): string {
  return escapeAutotaskJson(raw);
}

export function signWebhook(secret: string, body: string): string {
  return `sha1=${createHmac('sha1', secret).update(body, 'utf8').digest('base64')}`;
}

export class WebhookEmitter {
  private sequence = 0;
  /** The webhook's own identifier: Autotask sends the same Guid on every callout of one webhook. */
  private guid = randomUUID();
  private readonly pending = new Set<Promise<void>>();
  readonly deliveries: WebhookDelivery[] = [];

  constructor(private options: WebhookOptions | null,
    private readonly onEvent: (kind: 'sent' | 'delivered' | 'failed') => void) {}

  configure(options: WebhookOptions | null): void {
    this.options = options;
    // A new configuration is a new webhook, with its own Guid.
    this.guid = randomUUID();
  }

  emit(action: 'Create' | 'Update', id: number, fields: Record<string, unknown>, personId: number, now: Date): void {
    const options = this.options;
    if (!options) return;
    this.sequence += 1;
    this.onEvent('sent');
    const payload = { Action: action, Guid: this.guid, EntityType: 'Ticket', Id: id, Fields: fields,
      EventTime: now.toISOString(), SequenceNumber: this.sequence, PersonID: personId };
    const body = JSON.stringify(payload);
    const signed = options.signatureOver === 'escaped' ? escapedJson(body) : body;
    const delivery: WebhookDelivery = { sequenceNumber: this.sequence, action, id, status: null };
    this.deliveries.push(delivery);
    if (this.deliveries.length > 1000) this.deliveries.splice(0, this.deliveries.length - 1000);
    const task = fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'x-hook-signature': signWebhook(options.secret, signed) },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 2000),
    }).then(async (response) => {
      delivery.status = response.status;
      await response.arrayBuffer().catch(() => undefined);
      this.onEvent(response.ok ? 'delivered' : 'failed');
    }, (error: unknown) => {
      delivery.error = error instanceof Error ? error.message : String(error);
      this.onEvent('failed');
    });
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  /** Resolves when every delivery started so far has finished (tests). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}
