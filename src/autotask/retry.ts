/**
 * Retries of one Autotask call with p-retry: exponential backoff with jitter between settings.retryMinMs and
 * settings.retryMaxMs, at most settings.retries times, and only for failures the classifier marked as
 * retryable in-process (markRetry). Everything else — validation, permission, auth, not found, an ambiguous
 * create, the governor's BudgetExhaustedError, a schema violation, an abort — is thrown through unchanged.
 *
 * Retry-After (docs/autotask-api.md#thread-limit: none is documented; honour one if present): p-retry's own wait is at
 * least min(retryMinMs·2^n, retryMaxMs); when Retry-After asks for longer we sleep the difference first, so
 * the total wait is never shorter than asked. A Retry-After longer than retryMaxMs is not waited out
 * in-process: the error (it carries retryAfterMs) goes to the queue runtime, which waits without holding a
 * worker.
 */
import pRetry from 'p-retry';
import { AutotaskError } from './errors.js';

export interface RetryPolicy {
  retries: number;
  retryMinMs: number;
  retryMaxMs: number;
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryOptions {
  policy: RetryPolicy;
  signal?: AbortSignal | undefined;
  /** Called before each in-process retry (metrics, logs). */
  onRetry?: (error: AutotaskError, attempt: number) => void;
  /** For tests; defaults to an abortable timer. */
  sleep?: Sleep;
}

const verdicts = new WeakMap<object, boolean>();

/** Records the classifier's in-process retry verdict on an error object. */
export function markRetry<E extends object>(error: E, retry: boolean): E {
  verdicts.set(error, retry);
  return error;
}

export function isMarkedRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && verdicts.get(error) === true;
}

export const abortableSleep: Sleep = (ms, signal) => new Promise<void>((resolve, reject) => {
  if (signal?.aborted) {
    reject(signal.reason as Error);
    return;
  }
  const onAbort = () => {
    clearTimeout(timer);
    reject(signal?.reason as Error);
  };
  const timer = setTimeout(() => {
    signal?.removeEventListener('abort', onAbort);
    resolve();
  }, ms);
  signal?.addEventListener('abort', onAbort, { once: true });
});

/** The shortest wait p-retry will make before retry number `consumed + 1` (its jitter multiplies by 1..2). */
export function minimumBackoff(policy: RetryPolicy, consumed: number): number {
  return Math.min(policy.retryMinMs * 2 ** consumed, policy.retryMaxMs);
}

function willRetry(error: unknown, policy: RetryPolicy): boolean {
  if (!isMarkedRetryable(error)) return false;
  const after = error instanceof AutotaskError ? error.retryAfterMs : undefined;
  return after === undefined || after <= policy.retryMaxMs;
}

export async function withRetry<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, signal } = options;
  const sleep = options.sleep ?? abortableSleep;
  return pRetry(attempt, {
    retries: policy.retries,
    factor: 2,
    minTimeout: policy.retryMinMs,
    maxTimeout: Math.max(policy.retryMinMs, policy.retryMaxMs),
    randomize: true,
    signal,
    shouldRetry: ({ error }) => willRetry(error, policy),
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft, retriesConsumed }) => {
      if (retriesLeft <= 0 || !willRetry(error, policy)) return;
      if (error instanceof AutotaskError) options.onRetry?.(error, attemptNumber);
      const after = error instanceof AutotaskError ? error.retryAfterMs : undefined;
      const extra = after === undefined ? 0 : after - minimumBackoff(policy, retriesConsumed);
      if (extra > 0) await sleep(extra, signal);
    },
  });
}
