/**
 * Typed Autotask errors with stable codes. The pure classifier (classify.ts) maps a response or a transport
 * failure to one of these. Two verdicts, on purpose: `retryable` tells the queue runtime whether a later attempt
 * of the job may succeed; whether the client retries the call in-process is the classifier's own verdict, which
 * it hands to retry.ts with markRetry (an ambiguous create is retryable as a job, never re-sent in-process).
 * docs/autotask-api.md#errors: most validation and permission failures come back as HTTP 500 with
 * `{"errors":[…]}`, so the status alone never decides.
 */
import { AppError, type AppErrorOptions } from '../lib/errors.js';

export interface AutotaskErrorContext {
  status?: number;
  method?: string;
  entity?: string;
  /** Autotask's own error texts, redacted. */
  errors?: string[];
  retryAfterMs?: number;
}

export class AutotaskError extends AppError {
  readonly status: number | undefined;
  readonly errors: string[];
  readonly retryAfterMs: number | undefined;
  constructor(code: string, message: string, context: AutotaskErrorContext = {}, options: AppErrorOptions = {}) {
    super(code, message, { ...options, details: { ...context, ...(options.details ?? {}) } });
    this.status = context.status;
    this.errors = context.errors ?? [];
    this.retryAfterMs = context.retryAfterMs;
  }
}

/** Wrong secret (401), unknown user or bad integration code (HTTP 500 with those texts). Not retried. */
export class AutotaskAuthError extends AutotaskError {
  constructor(message: string, context: AutotaskErrorContext = {}) { super('AUTOTASK_AUTH', message, context); }
}
/** "The logged in Resource does not have the adequate permissions…". Not retried. */
export class AutotaskPermissionError extends AutotaskError {
  constructor(message: string, context: AutotaskErrorContext = {}) { super('AUTOTASK_PERMISSION', message, context); }
}
/** A validation HTTP 500 (reference does not exist, required field, value out of range…). Never retried. */
export class AutotaskValidationError extends AutotaskError {
  constructor(message: string, context: AutotaskErrorContext = {}) { super('AUTOTASK_VALIDATION', message, context); }
}
/** 404 for a record. */
export class AutotaskNotFoundError extends AutotaskError {
  constructor(message: string, context: AutotaskErrorContext = {}) { super('AUTOTASK_NOT_FOUND', message, context); }
}
/** Wrong route: 404 without a record meaning, or IIS 405 `{"Message": …}` (e.g. a GET on nextPageUrl, PATCH refused by a zone). */
export class AutotaskRouteError extends AutotaskError {
  constructor(message: string, context: AutotaskErrorContext = {}) { super('AUTOTASK_ROUTE', message, context); }
}
/** 429 or "thread threshold of 3 threads has been exceeded" / Itgenatr005. Retried after a pause. */
export class AutotaskThreadLimitError extends AutotaskError {
  constructor(message: string, context: AutotaskErrorContext = {}) { super('AUTOTASK_THREAD_LIMIT', message, context, { retryable: true }); }
}
/** The tenant's hourly request threshold is exceeded (the API is blocked for the whole tenant). */
export class AutotaskThresholdExceededError extends AutotaskError {
  constructor(message: string, context: AutotaskErrorContext = {}) { super('AUTOTASK_THRESHOLD_EXCEEDED', message, context, { retryable: true }); }
}
/** Bare 500 "Internal server error", 502/503/504, timeout, reset, malformed body. Retried with backoff. */
export class AutotaskTransientError extends AutotaskError {
  constructor(message: string, context: AutotaskErrorContext = {}, options: AppErrorOptions = {}) {
    super('AUTOTASK_TRANSIENT', message, context, { ...options, retryable: true });
  }
}
/** A response that breaks its entity schema: never a silent partial record. */
export class AutotaskSchemaError extends AutotaskError {
  readonly entity: string;
  readonly recordId: number | null;
  readonly field: string;
  constructor(entity: string, recordId: number | null, field: string, problem: string) {
    super('AUTOTASK_SCHEMA', `${entity} ${recordId ?? '?'}: field ${field || '(record)'} ${problem}`, { entity },
      { details: { recordId, field } });
    this.entity = entity;
    this.recordId = recordId;
    this.field = field;
  }
}
/**
 * A create whose answer was lost (timeout, reset, bare 500 after sending): Autotask has no idempotency key,
 * so the record may exist. Not retried by the client; the caller looks for the record before writing again.
 */
export class CreateOutcomeUnknownError extends AutotaskError {
  constructor(entity: string, cause: unknown) {
    super('AUTOTASK_CREATE_OUTCOME_UNKNOWN', `create of ${entity} may have happened: its answer was lost`, { entity },
      { cause, retryable: true });
  }
}
/**
 * This worker's share of the tenant's hourly budget is used up. Jobs wait (without spending an attempt)
 * until `retryAt`, they do not fail.
 */
export class BudgetExhaustedError extends AutotaskError {
  readonly retryAt: Date;
  constructor(retryAt: Date, used: number, ceiling: number) {
    super('AUTOTASK_BUDGET_EXHAUSTED', `hourly request budget used (${used}/${ceiling}); frees at ${retryAt.toISOString()}`,
      {}, { retryable: true, details: { used, ceiling, retryAt: retryAt.toISOString() } });
    this.retryAt = retryAt;
  }
}

/**
 * A URL that Autotask handed back (`pageDetails.nextPageUrl`) points at another origin than the tenant's REST
 * root. docs/autotask-api.md#paging: never send the credentials to a nextPageUrl whose origin differs from the tenant's.
 */
export class AutotaskForeignOriginError extends AutotaskError {
  constructor(message: string, context: AutotaskErrorContext = {}) { super('AUTOTASK_FOREIGN_ORIGIN', message, context); }
}
/** The TLS handshake with the tenant failed (bad or untrusted certificate). Not retried: TLS is never weakened. */
export class AutotaskTlsError extends AutotaskError {
  constructor(message: string, context: AutotaskErrorContext = {}) { super('AUTOTASK_TLS', message, context); }
}
