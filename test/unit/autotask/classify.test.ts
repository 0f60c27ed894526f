import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyFailure, classifyMalformed, classifyResponse, parseRetryAfter, type Operation } from '../../../src/autotask/classify.js';
import { AutotaskThreadLimitError, CreateOutcomeUnknownError, type AutotaskError } from '../../../src/autotask/errors.js';

interface ResponseRow { name: string; operation: Operation; status: number; body: unknown; code: string; retry: boolean }
interface FailureRow { name: string; operation: Operation; code: string; message?: string; expect: string; retry: boolean }
const table = JSON.parse(readFileSync(new URL('../../fixtures/autotask/error-bodies.json', import.meta.url), 'utf8')) as
  { responses: ResponseRow[]; failures: FailureRow[] };

describe('classifyResponse against real error bodies', () => {
  it('has at least 12 bodies', () => {
    expect(table.responses.length).toBeGreaterThanOrEqual(12);
  });

  it.each(table.responses)('$name → $code (retry $retry)', (row) => {
    const c = classifyResponse({ status: row.status, body: row.body === '' ? undefined : row.body, operation: row.operation,
      method: row.operation === 'get' ? 'GET' : 'POST', entity: 'Tickets' });
    expect(c.error.code).toBe(row.code);
    expect(c.retry).toBe(row.retry);
    expect(c.reason.length).toBeGreaterThan(5);
    // An ambiguous create keeps the answer it was built from as its cause.
    const answered = c.error instanceof CreateOutcomeUnknownError ? c.error.cause as AutotaskError : c.error;
    expect(answered.status).toBe(row.status);
  });

  it('keeps Autotask texts on the error and in its message', () => {
    const c = classifyResponse({ status: 500, operation: 'create', method: 'POST', entity: 'Tickets',
      body: { errors: ['Reference value on field: contactID of type: Contact does not exist or is invalid.'] } });
    expect(c.error.errors).toEqual(['Reference value on field: contactID of type: Contact does not exist or is invalid.']);
    expect(c.error.message).toContain('contactID');
    expect(c.error.retryable).toBe(false);
  });

  it('wraps the ambiguous create error around the transient one', () => {
    const c = classifyResponse({ status: 500, operation: 'create', method: 'POST', entity: 'TimeEntries', body: undefined });
    expect(c.error).toBeInstanceOf(CreateOutcomeUnknownError);
    expect(c.error.message).toContain('TimeEntries');
    expect(c.reason).toMatch(/look before writing again/);
  });

  it('carries Retry-After in seconds and as an HTTP date', () => {
    const now = Date.parse('2026-11-02T14:00:00Z');
    const seconds = classifyResponse({ status: 429, body: undefined, retryAfter: '7', operation: 'read', method: 'POST', entity: 'Tickets', now });
    expect(seconds.error).toBeInstanceOf(AutotaskThreadLimitError);
    expect(seconds.error.retryAfterMs).toBe(7000);
    const date = classifyResponse({ status: 503, body: undefined, retryAfter: 'Mon, 02 Nov 2026 14:00:30 GMT', operation: 'read',
      method: 'POST', entity: 'Tickets', now });
    expect(date.error.retryAfterMs).toBe(30_000);
  });
});

describe('classifyMalformed', () => {
  it('is transient on a read and ambiguous on a create', () => {
    const facts = { status: 200, method: 'POST', entity: 'Tickets' };
    expect(classifyMalformed({ ...facts, operation: 'read' }, 'not JSON')).toMatchObject({ retry: true });
    const create = classifyMalformed({ ...facts, operation: 'create' }, 'not JSON');
    expect(create.error).toBeInstanceOf(CreateOutcomeUnknownError);
    expect(create.retry).toBe(false);
  });
});

describe('classifyFailure', () => {
  it.each(table.failures)('$name → $expect (retry $retry)', (row) => {
    const c = classifyFailure({ code: row.code, message: row.message, operation: row.operation, method: 'POST', entity: 'Tickets' });
    expect(c.error.code).toBe(row.expect);
    expect(c.retry).toBe(row.retry);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, dates in the past as 0, and ignores garbage', () => {
    const now = Date.parse('2026-11-02T14:00:00Z');
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 02 Nov 2026 13:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
