/**
 * The stories of DEVELOPERS.md / issue 7 as ticket sets with the grouping a person would expect. Each story
 * uses its own company, so they can be run together and scored as one data set.
 */
import type { DetectionTicket } from '../../../../src/rules/detection-types.js';
import { SOURCE_MONITORING, TicketFactory } from './fixtures.js';

export interface Story {
  name: string;
  tickets: DetectionTicket[];
  /** Expected groups (member ids incl. an existing problem); tickets in none must stay ungrouped. */
  groups: number[][];
}

const f = new TicketFactory(1000);

/** A CI that goes offline every afternoon for two weeks; the monitoring tool words it three ways. */
export function narcolepticServer(): Story {
  const titles = ['Server SRV-DC01 is offline', 'SRV-DC01 offline - ping failed at 14:05',
    'SRV-DC01 is offline (ping failed 15:12)', 'Server SRV-DC01 is offline since 2026-03-04 14:41'];
  const tickets = Array.from({ length: 14 }, (_, day) => f.make(day + 0.58 + (day % 3) * 0.03, {
    companyID: 10, configurationItemID: 100, source: SOURCE_MONITORING, title: titles[day % titles.length]!,
    status: day < 10 ? 5 : 1,
  }));
  return { name: 'narcoleptic server', tickets, groups: [tickets.map((t) => t.id)] };
}

/** A nightly backup that fails every two to four days for a month. */
export function failingBackup(): Story {
  const days = [0, 3, 5, 9, 12, 14, 18, 21, 25];
  const tickets = days.map((day, i) => f.make(day + 0.1, {
    companyID: 11, configurationItemID: 200, source: SOURCE_MONITORING,
    title: i % 2 === 0 ? 'Backup job Nightly failed on SRV-BK01' : 'SRV-BK01: backup job Nightly failed (3 of 12 VMs)',
  }));
  return { name: 'failing backup', tickets, groups: [tickets.map((t) => t.id)] };
}

/** Low-disk alerts on three servers, interleaved: one group per server, also when the alerts carry no CI. */
export function diskSpace(): Story {
  const groups: number[][] = [];
  const tickets: DetectionTicket[] = [];
  for (const [s, server] of ['SRV-FS01', 'SRV-FS02', 'SRV-SQL01'].entries()) {
    const withCi = Array.from({ length: 4 }, (_, i) => f.make(i * 2 + s * 0.2, {
      companyID: 12, configurationItemID: 300 + s, source: SOURCE_MONITORING,
      title: `Low disk space on ${server}: C: ${8 - i}% free`,
    }));
    const noCi = Array.from({ length: 3 }, (_, i) => f.make(i * 3 + s * 0.2 + 0.05, {
      companyID: 13, configurationItemID: null, source: SOURCE_MONITORING,
      title: `Disk D: on ${server.toLowerCase()}.corp.local below ${10 + i} GB`,
    }));
    tickets.push(...withCi, ...noCi);
    groups.push(withCi.map((t) => t.id), noCi.map((t) => t.id));
  }
  return { name: 'disk space on several servers', tickets, groups };
}

/**
 * People linked tickets by hand: a Problem with two incidents, one of which (other CI, other words) no rule would
 * have grouped. New alerts join that Problem; the hand-linked ones never move. A ticket linked to a Problem that
 * is not in the data set still brings its new siblings to that Problem.
 */
export function humanLinked(): Story {
  const problem = f.make(1, { companyID: 14, configurationItemID: 400, ticketType: 3, title: 'Problem: Exchange SRV-MX01 queue stuck' });
  const linked = [
    f.make(0.5, { companyID: 14, configurationItemID: 400, title: 'Mail queue stuck on SRV-MX01', problemTicketId: problem.id }),
    f.make(0.7, { companyID: 14, configurationItemID: 401, title: 'Users cannot send mail', problemTicketId: problem.id }),
  ];
  const fresh = [3, 4, 6].map((d) => f.make(d, { companyID: 14, configurationItemID: 400, title: 'SRV-MX01 mail queue stuck' }));
  const elsewhere = f.make(2, { companyID: 14, configurationItemID: 402, title: 'VPN gateway VPN-GW1 dropping tunnels', problemTicketId: 99_001 });
  const siblings = [5, 7].map((d) => f.make(d, { companyID: 14, configurationItemID: 402, title: 'VPN-GW1 dropping tunnels again' }));
  return {
    name: 'human-linked tickets',
    tickets: [problem, ...linked, ...fresh, elsewhere, ...siblings],
    groups: [[problem.id, ...linked.map((t) => t.id), ...fresh.map((t) => t.id)], [99_001, elsewhere.id, ...siblings.map((t) => t.id)]],
  };
}

/** An open Problem gains the one new matching ticket; a closed Problem's recurrence starts a new group. */
export function existingProblem(): Story {
  const open = f.make(0, { companyID: 15, configurationItemID: 500, ticketType: 3, status: 8, title: 'Problem: printer PRN-02 offline' });
  const fresh = f.make(9, { companyID: 15, configurationItemID: 500, title: 'PRN-02 printer offline', source: SOURCE_MONITORING });
  const closed = f.make(0, { companyID: 15, configurationItemID: 501, ticketType: 3, status: 5, title: 'Problem: UPS-01 on battery' });
  const settled = f.make(0.5, { companyID: 15, configurationItemID: 501, title: 'UPS-01 on battery', status: 5, problemTicketId: closed.id });
  const recurring = [20, 21, 23].map((d) => f.make(d, { companyID: 15, configurationItemID: 501, title: 'UPS-01 running on battery' }));
  return {
    name: 'existing problem gains incidents',
    tickets: [open, fresh, closed, settled, ...recurring],
    groups: [[open.id, fresh.id], recurring.map((t) => t.id)],
  };
}

/** Problems and Change Requests on a recurring CI are never made incidents of anything. */
export function problemsAndChanges(): Story {
  const alerts = [0, 1, 2].map((d) => f.make(d + 0.6, { companyID: 16, configurationItemID: 600, title: 'Switch SW-CORE1 port Gi0/1 down' }));
  const change = f.make(1.2, { companyID: 16, configurationItemID: 600, ticketType: 4, title: 'Replace SW-CORE1 port Gi0/1 (down)' });
  const closedProblem = f.make(1.3, { companyID: 16, configurationItemID: 600, ticketType: 3, status: 5, title: 'SW-CORE1 port Gi0/1 down' });
  return { name: 'problems and change requests', tickets: [...alerts, change, closedProblem], groups: [alerts.map((t) => t.id)] };
}

/** Everyday tickets that must stay alone: other words, too few, too far apart, another CI, or no key. */
export function noise(): Story {
  const c = { companyID: 10, configurationItemID: 100 };
  const tickets = [
    f.make(0.2, { ...c, title: 'Add user to AD group Finance' }),
    f.make(1.2, { ...c, title: 'Windows updates SRV-DC01 reboot scheduled' }),
    f.make(3.3, { ...c, title: 'Backup failed on SRV-DC01' }),
    f.make(6.3, { ...c, title: 'SRV-DC01 backup failed' }),
    f.make(2.5, { companyID: 17, configurationItemID: 700, title: 'Outlook crashes when opening attachments' }),
    f.make(2.6, { companyID: 17, configurationItemID: 700, title: 'Printer PRN-09 paper jam' }),
    f.make(2.7, { companyID: 17, configurationItemID: 700, title: 'Password reset for j.smith' }),
    ...[0, 10, 20].map((d) => f.make(d, { companyID: 17, configurationItemID: 701, title: 'Scanner SCN-1 not scanning to email' })),
    ...[0, 1, 2].map((d) => f.make(d, { companyID: 17, configurationItemID: 702 + d, title: 'Laptop LT-77 battery swollen' })),
    ...[0, 1, 2].map((d) => f.make(d, { companyID: 17, configurationItemID: null, title: 'VPN slow from home office' })),
    ...[0, 1, 2].map((d) => f.make(d, { companyID: 18, configurationItemID: null, source: SOURCE_MONITORING,
      title: ['CPU high on WEB-01', 'CPU high on WEB-02', 'CPU high on WEB-03'][d]! })),
    f.make(4, { companyID: null, configurationItemID: null, title: null }),
  ];
  return { name: 'noise', tickets, groups: [] };
}

export function allStories(): Story[] {
  return [narcolepticServer(), failingBackup(), diskSpace(), humanLinked(), existingProblem(), problemsAndChanges(), noise()];
}
