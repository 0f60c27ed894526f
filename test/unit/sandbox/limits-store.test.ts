import { describe, expect, it } from 'vitest';
import { RequestThreshold, ThreadLimiter } from '../../../src/sandbox/limits.js';
import { escapedJson, signWebhook } from '../../../src/sandbox/webhooks.js';
import { emptyTenant, TenantStore } from '../../../src/sandbox/index.js';

describe('RequestThreshold', () => {
  it('adds the latency tiers from 50% and 75% and forgets requests after an hour', () => {
    let now = 1_000_000_000;
    const threshold = new RequestThreshold({ limit: 100, used: 49 }, () => now);
    expect(threshold.tierDelayMs()).toBe(0);
    threshold.add();
    expect(threshold.tierDelayMs()).toBe(500);
    threshold.add(25);
    expect(threshold.tierDelayMs()).toBe(1000);
    expect(threshold.exceeded()).toBe(false);
    threshold.add(25);
    expect(threshold.exceeded()).toBe(true);
    now += 3_600_001;
    expect(threshold.used()).toBe(0);
    const scaled = new RequestThreshold({ limit: 10, used: 8, tierDelayScale: 0.01 }, () => now);
    expect(scaled.tierDelayMs()).toBe(10);
  });
});

describe('ThreadLimiter', () => {
  it('gives out at most `limit` slots per key', () => {
    const limiter = new ThreadLimiter(3);
    expect([1, 2, 3, 4].map(() => limiter.tryAcquire('A'))).toEqual([true, true, true, false]);
    expect(limiter.tryAcquire('B')).toBe(true);
    limiter.release('A');
    expect(limiter.tryAcquire('A')).toBe(true);
    expect(limiter.current('A')).toBe(3);
  });
});

describe('TenantStore', () => {
  it('keeps records sorted by id whatever the insertion order', () => {
    const store = new TenantStore(emptyTenant());
    for (const id of [50, 10, 30, 70, 20]) store.insert('Tickets', { id, title: `t${id}` });
    expect(store.all('Tickets').map((t) => t.id)).toEqual([10, 20, 30, 50, 70]);
    expect(store.lowerBound('Tickets', 31)).toBe(3);
    expect(store.get('Tickets', 30)?.status).toBeNull();
    const next = store.nextId('Tickets');
    expect(next).toBeGreaterThan(70);
    expect(store.remove('Tickets', 30)).toBe(true);
    expect(store.all('Tickets').map((t) => t.id)).toEqual([10, 20, 50, 70]);
    expect(() => store.insert('Tickets', { id: 10 })).toThrow();
  });
});

describe('webhook signature helpers', () => {
  it('signs base64 HMAC-SHA1 with the sha1= prefix and escapes the characters Autotask escapes', () => {
    expect(signWebhook('k', 'body')).toMatch(/^sha1=[A-Za-z0-9+/]+=*$/);
    const raw = JSON.stringify({ t: 'a&b<c>\'d"e\\f+g ü' });
    const escaped = escapedJson(raw);
    // A backslash is kept as the JSON escape it is; the backtick is escaped (issue 16: one escaping with the verifier).
    expect(escaped).toBe('{"t":"a\\u0026b\\u003Cc\\u003E\\u0027d\\u0022e\\\\f\\u002Bg \\u00FC"}');
    expect(JSON.parse(escaped)).toEqual(JSON.parse(raw));
  });
});
