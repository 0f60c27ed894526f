import { describe, expect, it } from 'vitest';
import { entityDef } from '../../../src/sandbox/entities.js';
import { compileFilter } from '../../../src/sandbox/filter.js';
import { SandboxApiError, type SandboxRecord } from '../../../src/sandbox/types.js';

const tickets = entityDef('Tickets');
const row = (extra: Record<string, unknown>): SandboxRecord => ({ id: 10, title: 'Server SRV-DC01 is offline', status: 1,
  createDate: '2026-03-01T14:00:00.000Z', problemTicketId: null, ...extra });

describe('compileFilter', () => {
  it('extracts id bounds from the top level and nested ANDs, not from ORs', () => {
    expect(compileFilter(tickets, [{ op: 'gt', field: 'id', value: 100 }])).toMatchObject({ minId: 101, maxId: Infinity });
    expect(compileFilter(tickets, [{ op: 'and', items: [{ op: 'gte', field: 'ID', value: 5 }, { op: 'lt', field: 'id', value: 9 }] }]))
      .toMatchObject({ minId: 5, maxId: 8 });
    expect(compileFilter(tickets, [{ op: 'or', items: [{ op: 'gt', field: 'id', value: 5 }, { op: 'eq', field: 'status', value: 1 }] }]))
      .toMatchObject({ minId: -Infinity, maxId: Infinity });
    expect(compileFilter(tickets, [{ op: 'eq', field: 'id', value: 7 }])).toMatchObject({ minId: 7, maxId: 7 });
  });

  it('matches strings case-insensitively and never matches null in comparisons', () => {
    const f = (op: string, field: string, value?: unknown) => compileFilter(tickets, [{ op, field, value }]).test;
    expect(f('eq', 'title', 'server srv-dc01 is OFFLINE')(row({}))).toBe(true);
    expect(f('contains', 'title', 'DC01')(row({}))).toBe(true);
    expect(f('noteq', 'problemTicketId', 5)(row({}))).toBe(false);
    expect(f('notIn', 'problemTicketId', [5])(row({}))).toBe(false);
    expect(f('notExist', 'problemTicketId')(row({}))).toBe(true);
    expect(f('lte', 'createDate', '2026-03-01T14:00:00')(row({}))).toBe(true);
    expect(f('lt', 'createDate', '2026-03-01T14:00:00Z')(row({}))).toBe(false);
  });

  it('refuses what Autotask refuses with an HTTP 500 error', () => {
    const refuses = (filter: unknown) => {
      try { compileFilter(tickets, filter); } catch (error) { return error instanceof SandboxApiError && error.status === 500; }
      return false;
    };
    expect(refuses([])).toBe(true);
    expect(refuses(null)).toBe(true);
    expect(refuses([{ op: 'eq', field: 'unknownField', value: 1 }])).toBe(true);
    expect(refuses([{ op: 'eq', field: 'status', value: 'abc' }])).toBe(true);
    expect(refuses([{ op: 'and', items: [] }])).toBe(true);
    expect(refuses([{ op: 'in', field: 'id', value: [] }])).toBe(true);
    expect(refuses([{ op: 'eq', field: 'a', value: 1, udf: true }, { op: 'eq', field: 'b', value: 1, udf: true }])).toBe(true);
    expect(refuses([{ op: 'eq', field: 'a', value: 1, udf: true }])).toBe(false);
  });
});
