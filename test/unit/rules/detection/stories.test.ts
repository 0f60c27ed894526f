import { describe, expect, it } from 'vitest';
import { detectionSection } from '../../../../config/sections/detection.js';
import { detectProblems, type DetectionTicket, type ProblemGroup } from '../../../../src/rules/problem-detection.js';
import { defaultRuleSets, latest } from './fixtures.js';
import { scoreGrouping } from '../../../../src/rules/detection-scoring.js';
import {
  allStories, diskSpace, existingProblem, failingBackup, humanLinked, narcolepticServer, noise, problemsAndChanges,
  type Story,
} from './stories.js';

const DEFAULT_LINK_COMPLETED = detectionSection.parse({}).linkCompleted;

function run(tickets: DetectionTicket[], linkCompleted = DEFAULT_LINK_COMPLETED): ProblemGroup[] {
  return detectProblems({ tickets, ruleSets: defaultRuleSets(), options: { linkCompleted, now: latest(tickets) } }).groups;
}

const sorted = (groups: readonly (readonly number[])[]): number[][] =>
  groups.map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);

function expectStory(story: Story): ProblemGroup[] {
  const groups = run(story.tickets);
  expect(sorted(groups.map((g) => g.ticketIds))).toEqual(sorted(story.groups));
  return groups;
}

describe('detectProblems on the stories (default rule sets)', () => {
  it('narcoleptic server: 14 daily afternoon alerts in four wordings make one new problem', () => {
    const story = narcolepticServer();
    const [group] = expectStory(story);
    expect(group!.problemTicketId).toBeNull();
    expect(group!.ruleSet).toBe('same-configuration-item');
    expect(group!.key).toEqual({ companyID: 10, configurationItemID: 100 });
    // The first ten are complete: by default they are linked too (the whole story, issue 15).
    expect(group!.newLinks).toEqual(story.tickets.map((t) => t.id));
    expect(group!.active).toBe(true);
    expect(group!.reason).toContain('14 tickets (10 already complete) with companyID 10, configurationItemID 100');
    expect(group!.groupKey.length).toBeLessThanOrEqual(50);
  });

  it('with linkCompleted off, completed tickets count as history but only the open ones are linked', () => {
    const story = narcolepticServer();
    const [group] = run(story.tickets, false);
    expect(group!.ticketIds).toEqual(story.tickets.map((t) => t.id));
    expect(group!.newLinks).toEqual(story.tickets.slice(10).map((t) => t.id));
  });

  it('a backup failing every two to four days makes one group', () => {
    const [group] = expectStory(failingBackup());
    expect(group!.newLinks).toHaveLength(9);
  });

  it('disk-space alerts on three servers make one group per server, with or without a configuration item', () => {
    const groups = expectStory(diskSpace());
    expect(groups).toHaveLength(6);
    expect(groups.filter((g) => g.ruleSet === 'monitoring-alert-host')).toHaveLength(3);
    expect(new Set(groups.map((g) => g.groupKey)).size).toBe(6);
  });

  it('hand-linked tickets stay with their problem, which gains the new alerts', () => {
    const story = humanLinked();
    const groups = expectStory(story);
    const [problem, linkedA, linkedB, ...rest] = story.tickets;
    const exchange = groups.find((g) => g.problemTicketId === problem!.id)!;
    expect(exchange.existingLinks).toEqual([linkedA!.id, linkedB!.id]);
    expect(exchange.newLinks).toEqual(rest.slice(0, 3).map((t) => t.id));
    const vpn = groups.find((g) => g.problemTicketId === 99_001)!;
    expect(vpn.existingLinks).toEqual([rest[3]!.id]);
    expect(vpn.newLinks).toEqual(rest.slice(4).map((t) => t.id));
    for (const g of groups) for (const id of g.existingLinks) expect(g.newLinks).not.toContain(id);
  });

  it('an open problem gains a single new ticket; a closed problem and its incident are left alone', () => {
    const story = existingProblem();
    const groups = expectStory(story);
    const [open, fresh, closed, settled] = story.tickets;
    expect(groups.find((g) => g.problemTicketId === open!.id)!.newLinks).toEqual([fresh!.id]);
    const recurrence = groups.find((g) => g.problemTicketId === null)!;
    expect(recurrence.ticketIds).not.toContain(closed!.id);
    expect(recurrence.ticketIds).not.toContain(settled!.id);
  });

  it('an open problem found by its externalID gains its group even when its title was reworded', () => {
    const story = narcolepticServer();
    const [group] = run(story.tickets);
    const problem: DetectionTicket = { id: 9000, ticketType: 3, status: 1, companyID: 10, configurationItemID: 100,
      title: 'Domain controller flapping (see incidents)', externalID: group!.groupKey, createDate: story.tickets[13]!.createDate };
    const [again] = run([...story.tickets, problem]);
    expect(again!.problemTicketId).toBe(9000);
    expect(again!.ticketIds).toEqual([...group!.ticketIds, 9000]);
    expect(again!.groupKey).toBe(group!.groupKey);
  });

  it('problems and change requests are never made incidents', () => {
    const story = problemsAndChanges();
    const groups = expectStory(story);
    for (const g of groups) {
      for (const id of g.newLinks) expect(story.tickets.find((t) => t.id === id)!.ticketType).toBe(2);
    }
  });

  it('noise stays ungrouped', () => {
    expect(run(noise().tickets)).toEqual([]);
  });

  it('all stories together: pairwise precision and recall 1.0', () => {
    const stories = allStories();
    const tickets = stories.flatMap((s) => s.tickets);
    const gold = new Map<number, string>();
    for (const t of tickets) gold.set(t.id, `alone-${t.id}`);
    for (const [s, story] of stories.entries()) {
      for (const [g, members] of story.groups.entries()) for (const id of members) gold.set(id, `${s}-${g}`);
    }
    const groups = run(tickets);
    const scores = scoreGrouping(groups.map((g) => g.ticketIds), gold, tickets.length);
    expect(scores.precision).toBe(1);
    expect(scores.recall).toBe(1);
    expect(scores.bcubedF1).toBe(1);
    expect(sorted(groups.map((g) => g.ticketIds))).toEqual(sorted(stories.flatMap((s) => s.groups)));
  });
});

describe('detectProblems on inconsistent data', () => {
  it('leaves a ticket linked to a ticket that is not an open problem where it is, and groups nothing around it', () => {
    const c = { companyID: 1, configurationItemID: 5, status: 1, ticketType: 2 };
    const day = (d: number): string => new Date(Date.UTC(2026, 2, d, 14)).toISOString();
    const tickets: DetectionTicket[] = [
      { id: 1, ...c, title: 'SRV-A offline', createDate: day(1) },
      { id: 2, ...c, title: 'SRV-A offline', createDate: day(2) },
      { id: 3, ...c, title: 'SRV-A offline', createDate: day(3) },
      { id: 4, ...c, title: 'SRV-A offline', createDate: day(4), problemTicketId: 2 },
    ];
    const groups = run(tickets);
    expect(groups.map((g) => g.ticketIds)).toEqual([[1, 2, 3]]);
    expect(groups[0]!.problemTicketId).toBeNull();
  });
});

describe('detectProblems on repeated ids', () => {
  it('keeps the last copy of a ticket that appears twice', () => {
    const c = { companyID: 1, configurationItemID: 5, status: 1, ticketType: 2 };
    const day = (d: number): string => new Date(Date.UTC(2026, 2, d, 14)).toISOString();
    const tickets: DetectionTicket[] = [
      { id: 1, ...c, title: 'SRV-A offline', createDate: day(1) },
      { id: 2, ...c, title: 'SRV-A offline', createDate: day(2) },
      { id: 3, ...c, title: 'SRV-A offline', createDate: day(3) },
    ];
    expect(run(tickets).map((g) => g.ticketIds)).toEqual([[1, 2, 3]]);
    // Ticket 2 was re-read after a person linked it to problem 40 (not in the data): it is no longer a candidate.
    const again = run([...tickets, { ...tickets[1]!, problemTicketId: 40 }]);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ problemTicketId: 40, ticketIds: [1, 2, 3, 40], newLinks: [1, 3], existingLinks: [2] });
  });
});

describe('detectProblems sweeping', () => {
  const day = (d: number, h = 14): string => new Date(Date.UTC(2026, 2, 1 + d, h)).toISOString();

  it('reports an open problem spanning two keys under the earliest new member, whatever the input order', () => {
    const tickets: DetectionTicket[] = [
      { id: 50, ticketType: 3, status: 1, companyID: 1, configurationItemID: 1, title: 'Problem: SAN-01 latency high', createDate: day(0) },
      { id: 51, companyID: 1, configurationItemID: 2, title: 'SAN-01 latency high', problemTicketId: 50, createDate: day(0) },
      { id: 60, companyID: 1, configurationItemID: 2, title: 'SAN-01 latency high again', createDate: day(2) },
      { id: 61, companyID: 1, configurationItemID: 1, title: 'SAN-01 latency high', createDate: day(3) },
      { id: 62, companyID: 1, configurationItemID: 1, title: 'SAN-01 latency high', createDate: day(1) },
    ];
    const expected = run(tickets);
    expect(expected).toHaveLength(1);
    expect(expected[0]).toMatchObject({ problemTicketId: 50, ticketIds: [50, 51, 60, 61, 62], newLinks: [60, 61, 62],
      existingLinks: [51], key: { companyID: 1, configurationItemID: 1 } });
    for (const order of [[4, 3, 2, 1, 0], [2, 0, 4, 1, 3], [1, 2, 3, 4, 0]]) {
      expect(run(order.map((i) => tickets[i]!))).toEqual(expected);
    }
  });

  it('still finds a recurring alert on a configuration item buried in dozens of unrelated tickets a day', () => {
    const tickets: DetectionTicket[] = [];
    let id = 1;
    for (let d = 0; d < 5; d += 1) {
      for (let k = 0; k < 80; k += 1) {
        tickets.push({ id: id++, companyID: 1, configurationItemID: 9, createDate: day(d, 8 + (k % 10)),
          title: `Request ${['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'][k % 8]} `
            + `${['kilo', 'lima', 'mike', 'november', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango'][Math.floor(k / 8)]}` });
      }
      tickets.push({ id: 10_000 + d, companyID: 1, configurationItemID: 9, createDate: day(d, 19), title: 'NAS-7 volume degraded' });
    }
    const groups = run(tickets).filter((g) => g.ticketIds.some((t) => t >= 10_000));
    expect(groups.map((g) => g.ticketIds)).toEqual([[10_000, 10_001, 10_002, 10_003, 10_004]]);
  });
});
