import { z } from 'zod';

/**
 * Limits of the HTTP server (webhooks, the admin API, the dashboard). Without them Node holds a connection that
 * sent its headers but never its body open forever, so anyone who reaches the webhook route could exhaust
 * sockets (slowloris).
 */
export const httpSection = z.strictObject({
  headersTimeoutMs: z.number().int().min(100).max(300_000).default(10_000)
    .describe('a request\'s headers must arrive within this; the connection is closed otherwise'),
  requestTimeoutMs: z.number().int().min(100).max(600_000).default(30_000)
    .describe('the whole request (headers and body) must arrive within this; 408 and closed otherwise'),
  idleTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000)
    .describe('a connection with no traffic for this long is closed'),
  keepAliveTimeoutMs: z.number().int().min(100).max(600_000).default(5_000)
    .describe('an idle keep-alive connection is closed after this'),
  maxHeaderBytes: z.number().int().min(1_024).max(65_536).default(16_384)
    .describe('larger request headers are refused with 431'),
}).refine((http) => http.headersTimeoutMs <= http.requestTimeoutMs, {
  message: 'headersTimeoutMs must not exceed requestTimeoutMs', path: ['headersTimeoutMs'],
}).prefault({});
