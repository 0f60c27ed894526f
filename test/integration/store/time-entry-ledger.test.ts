import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createTimeEntryLedger } from '../../../src/store/time-entry-ledger.js';
import type { TimeEntryLedger } from '../../../src/store/time-entry-ledger.js';
import { entryFingerprint } from '../../../src/rules/time-entry-input.js';
import type { TimeEntryInput } from '../../../src/rules/time-entry-input.js';
import { cleanPrefix, connectRedis, uniquePrefix } from '../../helpers/redis.js';

const connections: Redis[] = [connectRedis(), connectRedis()];
let prefix: string;
let tick = 0;
const clock = (): Date => new Date(Date.parse('2026-03-02T10:00:00.000Z') + (tick += 1000));

function ledgerOn(index: number): TimeEntryLedger {
  const redis = connections[index % connections.length];
  if (!redis) throw new Error('no connection');
  return createTimeEntryLedger({ redis, keyPrefix: prefix, tenantId: 'default', clock });
}

const entry: TimeEntryInput = { key: 'sw-1', ticketId: 100, resourceId: 7, roleId: null,
  startDateTime: '2026-03-02T09:00:00.000Z', endDateTime: '2026-03-02T10:00:00.000Z', workedSeconds: 3000,
  summaryNotes: '', internalNotes: null };
const fp = entryFingerprint(entry);

beforeEach(() => { prefix = uniquePrefix('te-ledger'); });
afterEach(async () => { await cleanPrefix(connections[0] as Redis, prefix); });
afterAll(async () => { await Promise.all(connections.map((c) => c.quit())); });

describe('time-entry ledger', () => {
  it('pending → created, after which the key is final and leaves the pending list', async () => {
    const ledger = ledgerOn(0);
    expect(await ledger.get('sw-1')).toBeNull();
    const first = await ledger.markPending('sw-1', fp, entry);
    expect(first.previous).toBeNull();
    expect(first.state).toMatchObject({ key: 'sw-1', status: 'pending', fingerprint: fp, attempts: 1, entry, timeEntryId: null });
    expect((await ledger.pending()).map((s) => s.key)).toEqual(['sw-1']);

    const created = await ledgerOn(1).markCreated('sw-1', 555);
    expect(created).toMatchObject({ status: 'created', timeEntryId: 555, attempts: 1 });
    expect(await ledger.pending()).toEqual([]);

    const again = await ledger.markPending('sw-1', fp, entry);
    expect(again.previous).toEqual(created);
    expect(again.state).toEqual(created);
    expect(await ledger.markCreated('sw-1', 556)).toMatchObject({ timeEntryId: 555 });
    expect(await ledger.markFailed('sw-1', 'late failure')).toMatchObject({ status: 'created', reason: null });
  });

  it('a crashed attempt stays pending and tells the next one so (it must look before creating)', async () => {
    const ledger = ledgerOn(0);
    await ledger.markPending('k', fp, entry);
    const retry = await ledgerOn(1).markPending('k', fp, entry);
    expect(retry.previous?.status).toBe('pending');
    expect(retry.state).toMatchObject({ status: 'pending', attempts: 2 });
  });

  it('pending → failed → pending again (with new content) → created', async () => {
    const ledger = ledgerOn(0);
    await ledger.markPending('k2', fp, entry);
    const failed = await ledger.markFailed('k2', 'ROLE_MISSING: no role for resource 7');
    expect(failed).toMatchObject({ status: 'failed', reason: 'ROLE_MISSING: no role for resource 7' });
    expect(await ledger.pending()).toEqual([]);

    const changed = { ...entry, roleId: 4 };
    const retried = await ledger.markPending('k2', entryFingerprint(changed), changed);
    expect(retried.previous).toEqual(failed);
    expect(retried.state).toMatchObject({ status: 'pending', attempts: 2, entry: changed });
    expect(retried.state.fingerprint).not.toBe(fp);
    expect((await ledger.pending()).map((s) => s.key)).toEqual(['k2']);
    expect(await ledger.markCreated('k2', 77)).toMatchObject({ status: 'created', timeEntryId: 77 });
  });

  it('records a created entry found in Autotask without a prior pending mark', async () => {
    expect(await ledgerOn(0).markCreated('found', 12)).toMatchObject({ status: 'created', timeEntryId: 12, fingerprint: null, attempts: 0 });
    await expect(ledgerOn(0).markCreated('found', 0)).rejects.toThrow(RangeError);
  });

  it('lists pending keys oldest first, for re-pushing with their entries', async () => {
    const ledger = ledgerOn(0);
    for (const key of ['a', 'b', 'c']) await ledger.markPending(key, fp, { ...entry, key });
    await ledger.markCreated('b', 1);
    const pending = await ledger.pending();
    expect(pending.map((s) => [s.key, s.entry?.key])).toEqual([['a', 'a'], ['c', 'c']]);
    expect((await ledger.pending(1)).map((s) => s.key)).toEqual(['a']);
  });

  it('concurrent marks on one key never lose an update', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => ledgerOn(i).markPending('busy', fp, entry)));
    expect(results.filter((r) => r.previous === null)).toHaveLength(1);
    expect((await ledgerOn(0).get('busy'))?.attempts).toBe(10);
  });
});
