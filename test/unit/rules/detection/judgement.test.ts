/**
 * The judgement errors of issue 15 (hijacking, half the story, a closed Problem reopened by stealth, a person's
 * unlink undone, a multi-host alert bridging series), each as the smallest ticket set that showed it.
 */
import { describe, expect, it } from 'vitest';
import { detectionSection } from '../../../../config/sections/detection.js';
import { detectProblems, type DetectionTicket, type ProblemGroup } from '../../../../src/rules/problem-detection.js';
import { defaultRuleSets, latest, seeded, SOURCE_MONITORING, TicketFactory } from './fixtures.js';
import { narcolepticServer } from './stories.js';

function run(tickets: DetectionTicket[], extra: { unlinkedByPerson?: ReadonlySet<number> } = {}): ProblemGroup[] {
  const { linkCompleted } = detectionSection.parse({});
  return detectProblems({ tickets, ruleSets: defaultRuleSets(), options: { linkCompleted, now: latest(tickets) }, ...extra }).groups;
}

const f = new TicketFactory(5000);

describe('an existing Problem is joined only on evidence about the Problem itself', () => {
  /** A person linked one SRV-DC01 outage (a power cut) to the power Problem; the daily DC01 series must not follow. */
  function hijack(powerIncidents: number): { tickets: DetectionTicket[]; power: DetectionTicket; series: DetectionTicket[]; linkedDc: DetectionTicket } {
    const power = f.make(0, { companyID: 20, configurationItemID: 900, ticketType: 3, status: 1, title: 'Power outages at head office' });
    const others = Array.from({ length: powerIncidents }, (_, i) => f.make(0.2 + i, { companyID: 20, configurationItemID: 901 + i,
      title: 'UPS alarm at head office', problemTicketId: power.id }));
    const linkedDc = f.make(1.6, { companyID: 20, configurationItemID: 100, title: 'SRV-DC01 offline', problemTicketId: power.id });
    const series = [2, 3, 4, 5].map((d) => f.make(d + 0.6, { companyID: 20, configurationItemID: 100, title: 'SRV-DC01 offline',
      source: SOURCE_MONITORING }));
    return { tickets: [power, ...others, linkedDc, ...series], power, series, linkedDc };
  }

  for (const others of [0, 3]) {
    it(`one human link of a look-alike does not send the series to an unrelated Problem (${others} other incidents)`, () => {
      const { tickets, power, series, linkedDc } = hijack(others);
      const groups = run(tickets);
      expect(groups.find((g) => g.problemTicketId === power.id)).toBeUndefined();
      const own = groups.find((g) => g.problemTicketId === null)!;
      expect(own.ticketIds).toEqual(series.map((t) => t.id));
      expect(own.ticketIds).not.toContain(linkedDc.id);
    });
  }

  it('a Problem whose incidents are mostly the series is still joined, whatever its own title', () => {
    const problem = f.make(0, { companyID: 21, configurationItemID: 50, ticketType: 3, status: 1, title: 'Domain controller flapping' });
    const linked = [0.5, 1.5].map((d) => f.make(d, { companyID: 21, configurationItemID: 51, title: 'SRV-DC02 offline', problemTicketId: problem.id }));
    const fresh = f.make(3, { companyID: 21, configurationItemID: 51, title: 'SRV-DC02 offline again' });
    const [group] = run([problem, ...linked, fresh]);
    expect(group).toMatchObject({ problemTicketId: problem.id, newLinks: [fresh.id] });
  });
});

describe('completed instances', () => {
  it('are linked by default: the whole series, not only the open tail', () => {
    const story = narcolepticServer();
    const [group] = run(story.tickets);
    expect(group!.newLinks).toEqual(story.tickets.map((t) => t.id));
  });
});

describe('a completed Problem', () => {
  it('is never joined again, even through its group key: the recurrence is a new group that names it', () => {
    const story = narcolepticServer();
    const [first] = run(story.tickets);
    const closed: DetectionTicket = { id: 9100, ticketType: 3, status: 5, companyID: 10, configurationItemID: 100,
      title: 'Problem: Server SRV-DC01 is offline', externalID: first!.groupKey, createDate: story.tickets[13]!.createDate };
    const [again] = run([...story.tickets, closed]);
    expect(again!.problemTicketId).toBeNull();
    expect(again!.previousProblemId).toBe(9100);
    expect(again!.groupKey).not.toBe(first!.groupKey);
    expect(again!.groupKey.length).toBeLessThanOrEqual(50);
    expect(again!.reason).toContain('9100');
    // The new Problem made for the recurrence carries the new key and is joined by the next run.
    const reopened: DetectionTicket = { ...closed, id: 9101, status: 1, externalID: again!.groupKey };
    const [third] = run([...story.tickets, closed, reopened]);
    expect(third!.problemTicketId).toBe(9101);
  });
});

describe("a person's unlink", () => {
  it('is respected: the ticket is not offered for linking again', () => {
    const story = narcolepticServer();
    const unlinked = story.tickets[12]!.id;
    const [group] = run(story.tickets, { unlinkedByPerson: new Set([unlinked]) });
    expect(group!.newLinks).not.toContain(unlinked);
    expect(group!.ticketIds).not.toContain(unlinked);
  });
});

describe('an alert that names several hosts', () => {
  it('does not bridge the series of the hosts it names', () => {
    const c = { companyID: 22, configurationItemID: null, source: SOURCE_MONITORING };
    const fs = [0, 1, 2].map((d) => f.make(d + 0.1, { ...c, title: 'Disk space low on SRV-FS01' }));
    const multi = f.make(2.5, { ...c, title: 'Disk space low on SRV-FS01, SRV-APP03, SRV-SQL02, SRV-DC01' });
    const sql = f.make(3, { ...c, title: 'Disk space low on SRV-SQL02' });
    const dc = f.make(3.5, { ...c, title: 'Disk space low on SRV-DC01' });
    const groups = run([...fs, multi, sql, dc]);
    for (const g of groups) {
      expect(g.ticketIds).not.toContain(sql.id);
      expect(g.ticketIds).not.toContain(dc.id);
    }
    expect(groups.map((g) => g.ticketIds.filter((id) => id !== multi.id))).toEqual([fs.map((t) => t.id)]);
  });
});

describe('a busy configuration item', () => {
  /** A terminal server everybody uses: an unrelated ticket every hour for four weeks, everyday titles that repeat. */
  function busyCi(): DetectionTicket[] {
    const titles = ['Outlook not syncing', 'Printer on floor 2 jammed', 'Password reset for user', 'VPN disconnects often',
      'Teams call quality poor', 'Excel crashes on save', 'Cannot map drive S', 'New starter needs account', 'Laptop screen flickers',
      'Wifi drops in meeting room', 'Scanner not sending email', 'License expired for Visio', 'Calendar invite not received',
      'Access denied to finance share', 'Phone not ringing', 'Slow login on terminal server', 'Mailbox full', 'Monitor not detected',
      'Keyboard missing keys', 'Browser homepage changed'];
    const rnd = seeded(15);
    const tickets: DetectionTicket[] = [];
    for (let hour = 0; hour < 28 * 24; hour += 1) {
      tickets.push(f.make((hour + rnd() * 0.9) / 24, { companyID: 30, configurationItemID: 3000,
        title: titles[Math.floor(rnd() * titles.length)]! }));
    }
    return tickets;
  }

  it('does not chain its everyday traffic into groups', () => {
    const groups = run(busyCi());
    expect(groups.map((g) => `${g.ticketIds.length}: ${g.reason}`)).toEqual([]);
  });

  it('still finds the alert that recurs every afternoon among that traffic', () => {
    const alerts = Array.from({ length: 10 }, (_, d) => f.make(d + 0.6 + (d % 3) * 0.01, { companyID: 30, configurationItemID: 3000,
      source: SOURCE_MONITORING, title: 'SRV-TS01 offline - ping failed' }));
    const groups = run([...busyCi(), ...alerts]);
    expect(groups.map((g) => g.ticketIds)).toEqual([alerts.map((t) => t.id)]);
    expect(groups[0]!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(groups[0]!.confidenceReason).toMatch(/regular/);
  });
});

describe('a burst above the base rate', () => {
  const everyday = ['Outlook not syncing', 'Printer jammed', 'Password expired', 'Teams audio missing', 'Excel macro error',
    'New starter setup', 'Screen flickers', 'Scanner offline'];
  const quietDays = (company: number, ci: number): DetectionTicket[] => {
    const rnd = seeded(company);
    return Array.from({ length: 28 }, (_, d) => f.make(d + rnd() * 0.9, { companyID: company, configurationItemID: ci,
      title: everyday[Math.floor(rnd() * everyday.length)]! }));
  };

  it('ten "VPN down" in an hour on a CI that gets a ticket a day make a group', () => {
    const burst = Array.from({ length: 10 }, (_, i) => f.make(20.5 + i / 240, { companyID: 31, configurationItemID: 3100, title: 'VPN-GW2 tunnel down' }));
    const groups = run([...quietDays(31, 3100), ...burst]);
    expect(groups.map((g) => g.ticketIds)).toEqual([burst.map((t) => t.id)]);
    expect(groups[0]!.confidenceReason).toMatch(/burst 1/);
  });

  it('three look-alikes within minutes of a key that gets dozens a day are not a group', () => {
    const busy: DetectionTicket[] = [];
    for (let h = 0; h < 14 * 24; h += 0.5) busy.push(f.make(h / 24, { companyID: 32, configurationItemID: 3200, title: 'Password reset' }));
    const ruleSets = [{ name: 'key-only', keyFields: ['companyID', 'configurationItemID'] as const, titleSimilarity: 0,
      windowHours: 0.25, minCount: 3, minConfidence: 0.5 }];
    const tickets = [...busy, ...[0.2, 0.25, 0.3].map((m) => f.make(7 + m / 24, { companyID: 32, configurationItemID: 3200, title: 'Password reset' }))];
    const groups = detectProblems({ tickets, ruleSets: ruleSets.map((r) => ({ ...r, keyFields: [...r.keyFields] })),
      options: { linkCompleted: true, now: latest(tickets) } }).groups;
    expect(groups).toEqual([]);
  });
});
