import { describe, expect, it } from 'vitest';
import {
  areTitlesSimilar, normaliseTitle, titleSignature, titleSimilarity, tokenizeTitle,
} from '../../../../src/rules/title-similarity.js';

const sim = (a: string, b: string): number => titleSimilarity(tokenizeTitle(a), tokenizeTitle(b));

describe('normaliseTitle', () => {
  it('lower-cases and collapses dates, times and numbers to placeholders', () => {
    expect(normaliseTitle('SRV-DC01 offline - ping failed at 14:05')).toBe('srv-dc01 offline ping failed at <time>');
    expect(normaliseTitle('Backup 2026-03-04T03:00:00Z failed, retry 3 of 5 at 3:15 pm on 04/03/2026'))
      .toBe('backup <date> <time> failed retry <n> of <n> at <time> on <date>');
    expect(normaliseTitle('CPU 95% for 30s, 512MB left, 2nd time since 2pm')).toBe('cpu <n> for <n> <n> left <n> time since <time>');
  });

  it('keeps host-style tokens whole: names, FQDNs and addresses identify the machine', () => {
    expect(normaliseTitle('server01.corp.local unreachable from 10.0.0.5')).toBe('server01.corp.local unreachable from 10.0.0.5');
    expect(normaliseTitle('Server SRV-DC01 is offline')).toBe('server srv-dc01 is offline');
    expect(normaliseTitle('Out-of-office not_working')).toBe('out of office not working');
  });

  it('handles empty and missing titles', () => {
    expect(normaliseTitle(null)).toBe('');
    expect(normaliseTitle(undefined)).toBe('');
    expect(tokenizeTitle('  - : ').tokens.size).toBe(0);
  });

  it('gives the same signature to the same alert at another time', () => {
    expect(titleSignature(tokenizeTitle('Disk C: 8% free on SRV-FS01 at 14:05')))
      .toBe(titleSignature(tokenizeTitle('disk c: 3% FREE on srv-fs01 at 09:12')));
  });
});

describe('titleSimilarity', () => {
  it('scores equal token sets 1 and is symmetric', () => {
    expect(sim('Low disk space on SRV-FS01 (8%)', 'low disk space on srv-fs01 (3%)')).toBe(1);
    const pairs = [['Server SRV-DC01 is offline', 'SRV-DC01 offline - ping failed at 14:05'], ['a b c', 'c d']] as const;
    for (const [a, b] of pairs) expect(sim(a, b)).toBe(sim(b, a));
  });

  it('matches the narcoleptic server in its different wordings', () => {
    expect(sim('Server SRV-DC01 is offline', 'SRV-DC01 offline - ping failed at 14:05')).toBeGreaterThanOrEqual(0.6);
    expect(sim('Problem: Server SRV-DC01 is offline', 'SRV-DC01 is offline (ping failed 15:12)')).toBeGreaterThanOrEqual(0.6);
  });

  it('scores titles naming different hosts 0', () => {
    expect(sim('Low disk space on SRV-FS01', 'Low disk space on SRV-FS02')).toBe(0);
    expect(sim('web01.corp.local down', 'web02.corp.local down')).toBe(0);
  });

  it('does not call titles alike for a shared host and generic words only', () => {
    expect(sim('Backup failed on SRV-DC01', 'SRV-DC01 offline - ping failed at 14:05')).toBe(0);
    expect(sim('Windows updates SRV-DC01 reboot scheduled', 'Server SRV-DC01 is offline')).toBeLessThan(0.6);
  });

  it('needs more than one shared word: "offline" alone is not enough', () => {
    expect(sim('Printer offline', 'Offline')).toBeLessThan(0.6);
    expect(sim('Outlook crashes when opening attachments', 'Outlook slow')).toBeLessThan(0.6);
  });

  it('scores empty titles 0', () => {
    expect(sim('', '')).toBe(0);
    expect(sim('Server offline', '')).toBe(0);
  });

  it('requireSharedHost turns titles without a common host to 0', () => {
    const a = tokenizeTitle('VPN slow from home');
    expect(titleSimilarity(a, a)).toBe(1);
    expect(titleSimilarity(a, a, { requireSharedHost: true })).toBe(0);
    const b = tokenizeTitle('CPU high on WEB-01');
    expect(areTitlesSimilar(b, tokenizeTitle('WEB-01 CPU high (97%)'), 0.6, { requireSharedHost: true })).toBe(true);
  });
});
