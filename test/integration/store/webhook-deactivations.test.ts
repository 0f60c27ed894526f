/**
 * Deactivated notices stay visible (issue 16 item 7, audit gap): the store is bounded, but a flood of unsigned
 * notices — anyone can send one — evicts only the oldest unsigned notices and never a signed one; notices expire
 * after NOTICE_MAX_AGE_DAYS; a signed delivery of the webhook after its switch-off clears its notice.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookDeliveries, MAX_NOTICES, NOTICE_MAX_AGE_DAYS, type WebhookDeliveries } from '../../../src/store/webhook-deliveries.js';
import { tenantKeys } from '../../../src/store/keys.js';
import { cleanPrefix, connectRedis, uniquePrefix } from '../../helpers/redis.js';

const redis = connectRedis();
let prefix: string;
let store: WebhookDeliveries;
const T0 = Date.parse('2026-11-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const notice = (guid: string, minutes: number, signed: boolean) =>
  ({ guid, id: null, eventTime: at(minutes), receivedAt: at(minutes), signed });

beforeEach(() => { prefix = uniquePrefix('hooks'); store = createWebhookDeliveries(redis, prefix, 'default'); });
afterEach(async () => { await cleanPrefix(redis, prefix); });
afterAll(async () => { await redis.quit(); });

describe('webhook Deactivated notices', () => {
  it('a flood of unsigned notices keeps the signed ones and the newest unsigned, never more than the bound', async () => {
    expect(await store.recordDeactivation(notice('real-signed', 0, true))).toBe(true);
    expect(await store.recordDeactivation(notice('real-unsigned', 1, false))).toBe(true);
    for (let i = 0; i < 3 * MAX_NOTICES; i += 1) {
      expect(await store.recordDeactivation(notice(`forged-${i}`, 10 + i, false))).toBe(true);
    }
    const kept = await store.deactivations(new Date(at(1000)));
    expect(kept).toHaveLength(MAX_NOTICES);
    expect(kept[0]).toMatchObject({ guid: 'real-signed', signed: true });
    expect(kept.at(-1)?.guid).toBe(`forged-${3 * MAX_NOTICES - 1}`);
    // The newest notice got in: eviction, not refusal.
    expect(kept.map((n) => n.guid)).not.toContain('real-unsigned');
  });

  it('an unsigned notice never displaces a signed one: neither its own webhook\'s nor, when all are signed, another\'s', async () => {
    for (let i = 0; i < MAX_NOTICES; i += 1) await store.recordDeactivation(notice(`signed-${i}`, i, true));
    expect(await store.recordDeactivation(notice('forged', 100, false))).toBe(false);
    expect(await store.recordDeactivation(notice('signed-3', 101, false))).toBe(false);
    const kept = await store.deactivations(new Date(at(200)));
    expect(kept).toHaveLength(MAX_NOTICES);
    expect(kept.every((n) => n.signed)).toBe(true);
    // A signed notice takes the oldest signed one's place.
    expect(await store.recordDeactivation(notice('signed-new', 102, true))).toBe(true);
    expect((await store.deactivations(new Date(at(200)))).map((n) => n.guid)).not.toContain('signed-0');
  });

  it(`expires notices after ${NOTICE_MAX_AGE_DAYS} days`, async () => {
    await store.recordDeactivation(notice('old', 0, false));
    const later = NOTICE_MAX_AGE_DAYS * 24 * 60 + 1;
    expect(await store.deactivations(new Date(at(later)))).toEqual([]);
    await store.recordDeactivation(notice('new', later, false));
    // Recording prunes what expired, so old notices do not hold places in the bound.
    expect(await redis.hlen(tenantKeys(prefix, 'default').webhookDeactivations)).toBe(1);
    expect((await store.deactivations(new Date(at(later)))).map((n) => n.guid)).toEqual(['new']);
  });

  it('a signed delivery after the switch-off clears that webhook\'s notice; one from before does not', async () => {
    await store.recordDeactivation(notice('hook-a', 10, false));
    await store.recordDeactivation(notice('hook-b', 10, false));
    expect(await store.clearDeactivation('hook-a', at(5))).toBe(false);
    expect(await store.clearDeactivation('hook-a', at(11))).toBe(true);
    expect((await store.deactivations(new Date(at(20)))).map((n) => n.guid)).toEqual(['hook-b']);
  });
});
