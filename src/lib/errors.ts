/**
 * The project's error base. Every error that crosses a module boundary is an AppError with a stable `code`
 * (operators grep logs and alert on codes, so never rename one) and a `retryable` verdict that the queue
 * runtime honours. Messages and details are passed through the redactor before they are stored, so a secret
 * that slipped into a message never reaches a log, a job's failedReason or an HTTP answer.
 */
import { redactText, redactValue } from './redact.js';

export interface AppErrorOptions {
  cause?: unknown;
  details?: Record<string, unknown>;
  retryable?: boolean;
}

export class AppError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(redactText(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.details = (redactValue(options.details ?? {}) as Record<string, unknown>) ?? {};
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, retryable: this.retryable, details: this.details };
  }
}

/** A setting in the environment or SYNC_CONFIG is missing or wrong; raised once, at start. */
export class ConfigError extends AppError {
  readonly issues: string[];
  constructor(issues: string[]) {
    super('CONFIG_INVALID', `Invalid configuration:\n  - ${issues.join('\n  - ')}`, { details: { issues } });
    this.issues = issues;
  }
}

/** Input from outside (HTTP body, job data, CLI flag, webhook) does not fit its schema. Never retried. */
export class InputError extends AppError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('INPUT_INVALID', message, { details });
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return redactText(error.message);
  return redactText(String(error));
}

/**
 * Not a failure: the job must look again later (e.g. a create whose answer was lost may still land). The worker
 * puts the job back as delayed until `retryAt` without spending an attempt.
 */
export class RetryLaterError extends AppError {
  readonly retryAt: Date;

  constructor(code: string, message: string, retryAt: Date, details: Record<string, unknown> = {}) {
    super(code, message, { retryable: true, details: { ...details, retryAt: retryAt.toISOString() } });
    this.retryAt = retryAt;
  }
}
