import { describe, expect, it } from 'vitest';
import { f, normalizeFilter } from '../../../src/autotask/filter.js';
import { InputError } from '../../../src/lib/errors.js';

describe('filter builder', () => {
  it('produces the JSON of every comparison operator', () => {
    expect(f.eq('status', 1)).toEqual({ op: 'eq', field: 'status', value: 1 });
    expect(f.noteq('status', 5)).toEqual({ op: 'noteq', field: 'status', value: 5 });
    expect(f.gt('id', 10)).toEqual({ op: 'gt', field: 'id', value: 10 });
    expect(f.gte('id', 0)).toEqual({ op: 'gte', field: 'id', value: 0 });
    expect(f.lt('id', 10)).toEqual({ op: 'lt', field: 'id', value: 10 });
    expect(f.lte('lastModifiedDateTime', '2026-11-02T14:05:33.217Z'))
      .toEqual({ op: 'lte', field: 'lastModifiedDateTime', value: '2026-11-02T14:05:33.217Z' });
    expect(f.beginsWith('title', 'Printer')).toEqual({ op: 'beginsWith', field: 'title', value: 'Printer' });
    expect(f.endsWith('title', 'down')).toEqual({ op: 'endsWith', field: 'title', value: 'down' });
    expect(f.contains('title', 'VPN')).toEqual({ op: 'contains', field: 'title', value: 'VPN' });
    expect(f.eq('isActive', true)).toEqual({ op: 'eq', field: 'isActive', value: true });
  });

  it('sends no value for exist / notExist', () => {
    expect(f.exist('invoiceID')).toEqual({ op: 'exist', field: 'invoiceID' });
    expect(f.notExist('invoiceID')).toEqual({ op: 'notExist', field: 'invoiceID' });
    expect(JSON.stringify(f.notExist('webServiceDate'))).toBe('{"op":"notExist","field":"webServiceDate"}');
  });

  it('produces in / notIn lists and refuses empty or over-long ones', () => {
    expect(f.in('id', [1, 2, 3])).toEqual({ op: 'in', field: 'id', value: [1, 2, 3] });
    expect(f.notIn('status', [5])).toEqual({ op: 'notIn', field: 'status', value: [5] });
    expect(() => f.in('id', [])).toThrow(InputError);
    expect(() => f.in('id', Array.from({ length: 501 }, (_, i) => i))).toThrow(/at most 500/);
    expect(f.in('id', Array.from({ length: 500 }, (_, i) => i)).value).toHaveLength(500);
  });

  it('nests and/or groups', () => {
    const filter = f.and(f.eq('status', 1), f.or(f.eq('queueID', 8), f.notExist('queueID')));
    expect(filter).toEqual({ op: 'and', items: [
      { op: 'eq', field: 'status', value: 1 },
      { op: 'or', items: [{ op: 'eq', field: 'queueID', value: 8 }, { op: 'notExist', field: 'queueID' }] },
    ] });
    expect(() => f.or()).toThrow(InputError);
  });

  it('marks user-defined fields with udf: true', () => {
    expect(f.udf('eq', 'Customer Tier', 'Gold')).toEqual({ op: 'eq', field: 'Customer Tier', value: 'Gold', udf: true });
    expect(f.udf('exist', 'Customer Tier')).toEqual({ op: 'exist', field: 'Customer Tier', udf: true });
    expect(f.eq('Region', 'EU', { udf: true })).toEqual({ op: 'eq', field: 'Region', value: 'EU', udf: true });
  });

  it('reads "everything" as id gte 0 and never sends an empty filter', () => {
    expect(f.all()).toEqual({ op: 'gte', field: 'id', value: 0 });
    expect(normalizeFilter([])).toEqual([{ op: 'gte', field: 'id', value: 0 }]);
    expect(normalizeFilter(f.eq('status', 1))).toEqual([{ op: 'eq', field: 'status', value: 1 }]);
  });

  it('refuses an empty field name', () => {
    expect(() => f.eq(' ', 1)).toThrow(InputError);
  });
});
