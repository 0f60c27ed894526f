/**
 * The pure classifier: an Autotask answer (status + body + Retry-After) or a transport failure → one typed
 * error and the client's verdict (retry in-process or not, and why). No I/O, no clock unless passed in.
 *
 * docs/autotask-api.md#errors: most validation and permission failures are HTTP 500 with `{"errors":[…]}`,
 * so the text decides, not the status. A bare "Internal server error", a timeout or a reset may be retried;
 * the thread limit is a 429 "sometimes another status" with "thread threshold … exceeded" / Itgenatr005.
 * "Failures are not always 401": an unknown user or a bad integration code are HTTP 500 texts.
 * A create has no idempotency key ("a create whose answer is lost may have happened"), so an ambiguous
 * failure of a create becomes CreateOutcomeUnknownError and is not retried.
 */
import { redactText } from '../lib/redact.js';
import { parseRetryAfter } from '../lib/retry-after.js';
import {
  AutotaskAuthError, AutotaskNotFoundError, AutotaskPermissionError, AutotaskRouteError, AutotaskThreadLimitError,
  AutotaskThresholdExceededError, AutotaskTlsError, AutotaskTransientError, AutotaskValidationError,
  CreateOutcomeUnknownError, type AutotaskError, type AutotaskErrorContext,
} from './errors.js';

/** What the request was for: it changes what a 404 means and whether an ambiguous failure may be retried. */
export type Operation = 'read' | 'get' | 'create' | 'write' | 'zone';

export interface ResponseFacts {
  status: number;
  /** Parsed JSON, or the raw text when the body is not JSON, or undefined when empty. */
  body: unknown;
  /** The Retry-After header as sent (seconds or an HTTP date). */
  retryAfter?: string | null | undefined;
  operation: Operation;
  method: string;
  entity: string;
  /** Epoch ms, to turn an HTTP-date Retry-After into a delay. */
  now?: number;
}

export interface FailureFacts {
  /** Node / axios error code (ECONNRESET, ECONNABORTED, ETIMEDOUT, ENOTFOUND, CERT_HAS_EXPIRED…). */
  code?: string | undefined;
  message?: string | undefined;
  operation: Operation;
  method: string;
  entity: string;
}

export interface Classification {
  error: AutotaskError;
  /** The client retries in-process (p-retry) only when true. */
  retry: boolean;
  reason: string;
}

const MAX_TEXT = 300;

const THREAD_LIMIT = /thread threshold|threads? ha(s|ve) been exceeded|itgenatr005/i;
const REQUEST_THRESHOLD = /request threshold|requests? per hour|(api|usage) (limit|threshold).*exceeded|threshold.*exceeded/i;
const AUTH = /zone information could not be determined|integration ?code is invalid|authentication failed|authorization has been denied|invalid (user ?name|username|credentials|secret)/i;
const PERMISSION = /adequate permissions?|do(es)? not have (the )?(permission|rights|access)|not authori[sz]ed to|permission denied|insufficient (permissions?|rights)/i;
const TRANSIENT_TEXT = /^(an )?internal server error\.?$|^an error has occurred\.?$|timeout expired|timed out|deadlock|service (is )?(temporarily )?unavailable|please try again/i;
const ROUTE_TEXT = /no http resource was found|does not support http method|<html|<!doctype/i;

/**
 * Autotask's own texts: `{"errors":[…]}`, IIS/Web API `{"Message":…}`, or a raw (HTML/text) body, shortened
 * and redacted (an answer may echo a credential; AutotaskError keeps `errors` as given).
 */
export function errorTexts(body: unknown): string[] {
  return rawTexts(body).map(redactText);
}

function rawTexts(body: unknown): string[] {
  if (body === undefined || body === null) return [];
  if (typeof body === 'string') {
    const text = body.replace(/<style[\s\S]*?<\/style>/gi, ' ').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    return text ? [text.slice(0, MAX_TEXT)] : [];
  }
  if (typeof body !== 'object') return [String(body).slice(0, MAX_TEXT)];
  const record = body as Record<string, unknown>;
  const texts: string[] = [];
  if (Array.isArray(record.errors)) {
    for (const e of record.errors) {
      if (typeof e === 'string') texts.push(e.slice(0, MAX_TEXT));
      else if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') {
        texts.push(((e as { message: string }).message).slice(0, MAX_TEXT));
      }
    }
  }
  for (const key of ['Message', 'message', 'ExceptionMessage']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) texts.push(value.slice(0, MAX_TEXT));
  }
  return texts;
}

export { parseRetryAfter };

function message(facts: { method: string; entity: string }, what: string, texts: string[]): string {
  const detail = texts.length > 0 ? `: ${texts.join('; ')}` : '';
  return `Autotask ${facts.method} ${facts.entity}: ${what}${detail}`;
}

/** Transient failures of a create are ambiguous: the record may exist. Everything else passes as is. */
function guardCreate(facts: { operation: Operation; entity: string }, c: Classification, requestSent: boolean): Classification {
  if (facts.operation !== 'create' || !(c.error instanceof AutotaskTransientError) || !requestSent) return c;
  return {
    error: new CreateOutcomeUnknownError(facts.entity, c.error),
    retry: false,
    reason: `${c.reason}; the create may have happened (no idempotency key), so it is not retried — look before writing again`,
  };
}

export function classifyResponse(facts: ResponseFacts): Classification {
  const { status } = facts;
  const texts = errorTexts(facts.body);
  const joined = texts.join(' | ');
  const retryAfterMs = parseRetryAfter(facts.retryAfter, facts.now ?? 0);
  const ctx: AutotaskErrorContext = { status, method: facts.method, entity: facts.entity, errors: texts,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  const make = (c: Classification): Classification => guardCreate(facts, c, true);

  // The thread limit arrives as 429 "sometimes another status": the text wins over the status.
  if (THREAD_LIMIT.test(joined) || (status === 429 && !REQUEST_THRESHOLD.test(joined))) {
    return { error: new AutotaskThreadLimitError(message(facts, 'thread limit of the endpoint reached', texts), ctx),
      retry: true, reason: 'thread limit (429): the request was not executed; retry after a pause' };
  }
  if (REQUEST_THRESHOLD.test(joined)) {
    return { error: new AutotaskThresholdExceededError(message(facts, "the tenant's hourly request threshold is exceeded", texts), ctx),
      retry: false,
      reason: 'request threshold exceeded: the tenant is blocked until its rolling hour frees; retrying in-process only adds requests, the job waits instead' };
  }
  if (status === 401 || AUTH.test(joined)) {
    return { error: new AutotaskAuthError(message(facts, status === 401 ? 'authentication refused (401)' : 'authentication refused', texts), ctx),
      retry: false, reason: status === 401 ? 'wrong secret or credentials (401)' : 'unknown user or invalid integration code' };
  }
  if (status === 403 || PERMISSION.test(joined)) {
    return { error: new AutotaskPermissionError(message(facts, 'permission denied', texts), ctx),
      retry: false, reason: 'the API user lacks the permission; retrying cannot help' };
  }
  if (status < 300 && TRANSIENT_TEXT.test(joined)) {
    return make({ error: new AutotaskTransientError(message(facts, `server error in a ${status} answer`, texts), ctx),
      retry: true, reason: 'an errors array with a bare server error: may succeed again' });
  }
  if (status >= 300 && status < 400) {
    return { error: new AutotaskRouteError(message(facts, `redirect (${status}) not followed: credentials are sent to the tenant only`, texts), ctx),
      retry: false, reason: 'redirect refused' };
  }
  if (status === 404) {
    if (facts.operation === 'get' && !ROUTE_TEXT.test(joined)) {
      return { error: new AutotaskNotFoundError(message(facts, 'record not found (404)', texts), ctx), retry: false, reason: 'no such record' };
    }
    return { error: new AutotaskRouteError(message(facts, 'route not found (404)', texts), ctx), retry: false, reason: 'wrong route' };
  }
  if (status === 405) {
    return { error: new AutotaskRouteError(message(facts, 'method not allowed (405)', texts), ctx),
      retry: false, reason: 'wrong method for the route (e.g. a GET on nextPageUrl, or a zone that refuses PATCH)' };
  }
  if (status === 408 || status >= 502) {
    return make({ error: new AutotaskTransientError(message(facts, `server unavailable (${status})`, texts), ctx),
      retry: true, reason: `gateway or availability failure (${status})` });
  }
  if (status >= 500) {
    if (texts.length === 0 || TRANSIENT_TEXT.test(joined)) {
      return make({ error: new AutotaskTransientError(message(facts, `server error (${status})`, texts), ctx),
        retry: true, reason: 'a bare server error without a validation text' });
    }
    return { error: new AutotaskValidationError(message(facts, 'request rejected', texts), ctx),
      retry: false, reason: 'a validation HTTP 500 (Autotask reports validation as 500): the same request fails again' };
  }
  return { error: new AutotaskValidationError(message(facts, `request rejected (${status})`, texts), ctx),
    retry: false, reason: status < 300 ? `HTTP ${status} with an errors array: Autotask refused the request; the same request fails again`
      : `client error ${status}: the same request fails again` };
}

/** A 2xx answer whose body is not what the route returns (HTML from a proxy, cut-off JSON, missing keys). */
export function classifyMalformed(facts: Omit<ResponseFacts, 'body' | 'retryAfter'>, problem: string): Classification {
  const ctx: AutotaskErrorContext = { status: facts.status, method: facts.method, entity: facts.entity };
  return guardCreate(facts, {
    error: new AutotaskTransientError(message(facts, `malformed answer (${problem})`, []), ctx),
    retry: true, reason: 'malformed body: a proxy or a cut connection, may succeed again',
  }, true);
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_SOCKET_CONNECTION_TIMEOUT']);
const TLS = /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/;

/** A failure without an answer: timeout, reset, refused, DNS, TLS. */
export function classifyFailure(facts: FailureFacts): Classification {
  const code = facts.code ?? 'UNKNOWN';
  const ctx: AutotaskErrorContext = { method: facts.method, entity: facts.entity };
  if (TLS.test(code)) {
    return { error: new AutotaskTlsError(message(facts, `TLS failure (${code})`, []), ctx),
      retry: false, reason: 'the certificate is not trusted; TLS is never weakened, so this needs an operator' };
  }
  const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(facts.message ?? '');
  const what = timedOut ? `timed out (${code})` : `connection failed (${code})`;
  const sent = !NOT_SENT.has(code);
  return guardCreate(facts, {
    error: new AutotaskTransientError(message(facts, what, []), ctx),
    retry: true, reason: sent ? `${timedOut ? 'timeout' : 'reset'} after the request may have been sent` : 'the connection never opened',
  }, sent);
}
