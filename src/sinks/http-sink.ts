/**
 * HTTP sink: POSTs each invoice document as JSON to INVOICE_WEBHOOK_URL.
 *
 * The body is the document with the tenant id as its first field. Headers: `Content-Type: application/json`,
 * `Idempotency-Key: <tenant>:<invoiceKey>` (the receiver deduplicates a document delivered again after a crash between
 * delivery and marking; the tenant is part of it because an invoiceKey is unique only within a tenant), and `X-Signature: sha256=<hex HMAC-SHA256 of the raw
 * body keyed with INVOICE_WEBHOOK_SECRET>` (see signature.ts). Only a 2xx answer confirms a delivery.
 * Transient failures — network errors, timeouts, 408, 429 and 5xx — are retried with exponential backoff (p-retry),
 * honouring a Retry-After header; any other answer fails at once. The secret never leaves this closure: it is not in
 * any header, log line or error (it is also registered with the redactor in case something echoes it).
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import pRetry, { AbortError } from 'p-retry';
import { registerSecrets } from '../lib/redact.js';
import { sleep } from '../lib/sleep.js';
import type { InvoiceDocument } from '../rules/invoice-types.js';
import { assertSafeInvoiceKey, SinkDeliveryError, type InvoiceSink, type SinkDelivery } from './invoice-sink.js';
import { parseRetryAfter } from '../lib/retry-after.js';
import { IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signInvoiceBody } from './signature.js';

export interface HttpSinkOptions {
  /** INVOICE_WEBHOOK_URL (http or https). */
  url: string;
  /** INVOICE_WEBHOOK_SECRET. */
  secret: string;
  /** The tenant whose invoices this sink sends: the body's `tenant` and part of the Idempotency-Key. */
  tenant: string;
  /** Per attempt. Default 15 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 5. */
  retries?: number;
  /** Backoff bounds. Defaults 1 s and 60 s; a Retry-After longer than the maximum is capped to it. */
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** For tests or a shared agent; a fresh axios instance by default. */
  http?: AxiosInstance;
  logger?: { warn(object: Record<string, unknown>, message: string): void };
}

interface TransientFailure extends Error {
  retryAfterMs?: number;
}

const TRANSIENT_STATUS = (status: number): boolean => status === 408 || status === 429 || status >= 500;

/** The URL as it may appear in messages: origin and path, never a query string or user:password. */
function safeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function retryAfterMs(header: unknown): number | undefined {
  return typeof header === 'string' ? parseRetryAfter(header, Date.now()) : undefined;
}

function referenceOf(response: AxiosResponse<unknown>): string {
  const data = response.data;
  if (typeof data === 'string' && data.trim().startsWith('{')) {
    try {
      const parsed = JSON.parse(data) as Record<string, unknown>;
      for (const key of ['reference', 'id']) {
        const value = parsed[key];
        if (typeof value === 'string' || typeof value === 'number') return String(value);
      }
    } catch {
      // Not JSON after all: fall through to the headers.
    }
  }
  const location = response.headers.location;
  return typeof location === 'string' && location !== '' ? location : `HTTP ${response.status}`;
}

export function createHttpSink(options: HttpSinkOptions): InvoiceSink {
  const url = new URL(options.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SinkDeliveryError('http', `unsupported URL scheme ${url.protocol}`, { retryable: false });
  }
  const secret = options.secret;
  if (secret.length === 0) throw new SinkDeliveryError('http', 'the signing secret is empty', { retryable: false });
  registerSecrets([secret]);
  const where = safeUrl(url);
  const http = options.http ?? axios.create();
  const timeout = options.timeoutMs ?? 15_000;
  const minDelay = options.minRetryDelayMs ?? 1_000;
  const maxDelay = options.maxRetryDelayMs ?? 60_000;

  async function attempt(body: string, doc: InvoiceDocument, signal?: AbortSignal): Promise<SinkDelivery> {
    let response: AxiosResponse<unknown>;
    try {
      response = await http.post(url.toString(), body, {
        headers: {
          'Content-Type': 'application/json',
          [IDEMPOTENCY_HEADER]: `${options.tenant}:${doc.invoiceKey}`,
          [SIGNATURE_HEADER]: signInvoiceBody(secret, body),
          'User-Agent': 'autotask-sync invoice sink',
        },
        timeout,
        signal,
        maxRedirects: 0,
        responseType: 'text',
        transformRequest: [(data: unknown) => data],
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
      });
    } catch (error) {
      if (signal?.aborted) throw new AbortError(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      const code = (error as { code?: string } | null)?.code ?? 'network error';
      const failure: TransientFailure = new SinkDeliveryError('http', `POST ${where} failed: ${code}`,
        { retryable: true });
      throw failure;
    }
    if (response.status >= 200 && response.status < 300) return { confirmed: true, reference: referenceOf(response) };
    const error: TransientFailure = new SinkDeliveryError('http', `POST ${where} answered HTTP ${response.status}`,
      { retryable: TRANSIENT_STATUS(response.status), status: response.status });
    if (!TRANSIENT_STATUS(response.status)) throw new AbortError(error);
    error.retryAfterMs = retryAfterMs(response.headers['retry-after']);
    throw error;
  }

  return {
    name: 'http',
    async deliver(doc: InvoiceDocument, signal?: AbortSignal): Promise<SinkDelivery> {
      assertSafeInvoiceKey('http', doc.invoiceKey);
      const body = JSON.stringify({ tenant: options.tenant, ...doc });
      return pRetry(() => attempt(body, doc, signal), {
        retries: options.retries ?? 5,
        minTimeout: minDelay,
        maxTimeout: maxDelay,
        factor: 2,
        randomize: true,
        signal,
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          options.logger?.warn({ sink: 'http', tenant: options.tenant, invoiceKey: doc.invoiceKey, attempt: attemptNumber, retriesLeft,
            reason: error.message }, 'invoice delivery attempt failed');
          const extra = (error as TransientFailure).retryAfterMs;
          // p-retry waits its own backoff afterwards; this adds what the receiver asked for beyond it.
          if (retriesLeft > 0 && extra !== undefined && extra > minDelay) await sleep(Math.min(extra, maxDelay) - minDelay, signal);
        },
      });
    },
  };
}
