import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EntityStore } from '../../../src/store/entity-store.js';
import type { StoredTicket } from '../../../src/store/projections.js';
import { cleanPrefix, connectRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = connectRedis();
let prefix: string;
let store: EntityStore;

function ticket(id: number, lastActivityDate: string): StoredTicket {
  return { id, ticketNumber: `T${id}`, title: `t${id}`, companyID: 1, companyLocationID: null, configurationItemID: null,
    contactID: null, createDate: lastActivityDate, lastActivityDate, completedDate: null, status: 1, priority: 2,
    queueID: null, source: null, issueType: null, subIssueType: null, ticketType: 2, problemTicketId: null,
    externalID: null, assignedResourceID: null, assignedResourceRoleID: null };
}

beforeEach(() => { prefix = uniquePrefix('entity'); store = new EntityStore(redis, prefix, 'default'); });
afterEach(async () => { await cleanPrefix(redis, prefix); });
afterAll(async () => { await redis.quit(); });

describe('EntityStore', () => {
  it('upserts idempotently and returns records in id order', async () => {
    const records = [ticket(30, '2026-11-01T00:00:00.000Z'), ticket(10, '2026-11-02T00:00:00.000Z')];
    await store.upsert('Tickets', records);
    await store.upsert('Tickets', records);
    expect(await store.count('Tickets')).toBe(2);
    expect((await store.all('Tickets')).map((t) => t.id)).toEqual([10, 30]);
    await store.upsert('Tickets', [{ ...records[0]!, title: 'changed' }]);
    expect((await store.get('Tickets', 30))?.title).toBe('changed');
    expect([...(await store.getMany('Tickets', [10, 99])).keys()]).toEqual([10]);
  });

  it('writes and reads thousands of records in batches', async () => {
    const many = Array.from({ length: 2_500 }, (_, i) => ticket(i + 1, '2026-11-01T00:00:00.000Z'));
    await store.upsert('Tickets', many);
    expect(await store.count('Tickets')).toBe(2_500);
    expect((await store.all('Tickets')).length).toBe(2_500);
    expect(await store.remove('Tickets', many.slice(0, 1_200).map((t) => t.id))).toBe(1_200);
    expect(await store.count('Tickets')).toBe(1_300);
  });

  it('prunes tickets older than the look-back by their last activity', async () => {
    await store.upsert('Tickets', [ticket(1, '2026-08-01T00:00:00.000Z'), ticket(2, '2026-11-20T00:00:00.000Z')]);
    expect(await store.pruneTickets(new Date('2026-09-01T00:00:00.000Z'))).toBe(1);
    expect(await store.ids('Tickets')).toEqual([2]);
  });

  it('keeps cursors and checkpoints per tenant', async () => {
    const other = new EntityStore(redis, prefix, 'acme');
    await store.setCursor('tickets', '2026-11-01T00:00:00.000Z');
    await store.setCheckpoint('tickets', { lastId: 42 });
    expect(await store.getCursor('tickets')).toBe('2026-11-01T00:00:00.000Z');
    expect(await other.getCursor('tickets')).toBeNull();
    expect(await store.getCheckpoint<{ lastId: number }>('tickets')).toEqual({ lastId: 42 });
    await store.clearCheckpoint('tickets');
    expect(await store.getCheckpoint('tickets')).toBeNull();
  });
});
