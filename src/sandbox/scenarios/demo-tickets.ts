/**
 * The demo's tickets: an offline server alerting every afternoon for two weeks, a backup job failing every
 * three nights with an existing Problem that all but the newest failure are linked to, a same-titled alert on
 * another company's server (a decoy), unrelated monitoring noise, and everyday service tickets assigned to
 * technicians (with their role) that carry the billable labour.
 */
import { ISSUE_TYPE_IDS, QUEUE_IDS, SUB_ISSUE_TYPE_IDS, TICKET_PRIORITY_IDS, TICKET_STATUS_IDS } from '../picklists.js';
import type { Rng } from '../random.js';
import { TICKET_SOURCE_MONITORING_ALERT, TICKET_TYPE_INCIDENT, TICKET_TYPE_PROBLEM, TICKET_TYPE_SERVICE_REQUEST } from '../system-values.js';
import { TECHNICIANS } from './base.js';
import { DEMO_CI, DEMO_COMPANY, addMinutes, dayAt } from './demo-ids.js';

export interface TicketSpec {
  story: 'narcoleptic' | 'backup' | 'problem' | 'decoy' | 'monitoringNoise' | 'service';
  createDate: Date;
  completedDate: Date | null;
  title: string;
  description: string;
  companyID: number;
  configurationItemID: number | null;
  status: number;
  priority: number;
  queueID: number;
  source: number;
  issueType: number | null;
  subIssueType: number | null;
  ticketType: number;
  problem: TicketSpec | null;
  assignedResourceID: number | null;
  assignedResourceRoleID: number | null;
  /** Set once ids are assigned. */
  id: number;
}

const NOISE_TITLES = ['Outlook keeps asking for password', 'Printer on 2nd floor jams constantly', 'VPN disconnects every hour',
  'Please install Adobe Acrobat for {name}', 'Teams calls drop audio', 'Laptop battery swelling', 'Password reset for {name}',
  'Shared mailbox access for {name}', 'Slow access to the file server', 'Desk phone not registering', 'Replace toner in reception printer',
  'Weak Wi-Fi in the conference room', 'Set up MFA for {name}', 'Quote request: 5 new laptops', 'Scan to email not working',
  'Calendar permissions for {name}', 'Excel crashes when opening the budget file', 'Request for a second monitor',
  'Website SSL certificate renewal', 'Onboarding checklist for {name}', 'OneDrive not syncing', 'Move desk phone to office 12',
  'Offboarding: disable account of {name}', 'Label printer prints blank labels', 'Cannot open attachments from the portal'];
const NAMES = ['J. Smith', 'M. Garcia', 'A. Chen', 'R. Patel', 'L. Novak', 'K. Osei', 'T. Berg', 'D. Rossi', 'S. Kim', 'E. Walsh'];
const MONITORING_NOISE: Array<[string, number, number]> = [
  ['Disk space low on WS-0142 (C: 6% free)', DEMO_COMPANY.northwind, DEMO_CI.northwindWs142],
  ['High CPU on SRV-APP02 for 15 minutes', DEMO_COMPANY.northwind, DEMO_CI.northwindApp],
  ['Windows update failed on WS-0107', DEMO_COMPANY.contoso, DEMO_CI.contosoWs107],
  ['Ping loss to branch router RTR-02', DEMO_COMPANY.fabrikam, DEMO_CI.fabrikamRouter],
  ['Certificate on FW-01 expires in 14 days', DEMO_COMPANY.tailspin, DEMO_CI.tailspinFirewall],
  ['UPS-01 running on battery', DEMO_COMPANY.tailspin, DEMO_CI.tailspinUps],
];
const OFFLINE_TITLES = ['Server SRV-DC01 is offline', 'SRV-DC01 is offline', 'Server SRV-DC01 is not responding to ping',
  'Server SRV-DC01 offline', 'ALERT: Server SRV-DC01 is offline'];
const BACKUP_TITLES = ["Backup job 'Nightly-NAS01' failed", 'Backup job Nightly-NAS01 failed',
  "Veeam: backup job 'Nightly-NAS01' failed", "Backup job 'Nightly-NAS01' failed (3 of 41 VMs)"];

function spec(partial: Partial<TicketSpec> & Pick<TicketSpec, 'story' | 'createDate' | 'title' | 'companyID'>): TicketSpec {
  return { completedDate: null, description: '', configurationItemID: null, status: TICKET_STATUS_IDS.new,
    priority: TICKET_PRIORITY_IDS.medium, queueID: QUEUE_IDS.levelOne, source: 4, issueType: null, subIssueType: null,
    ticketType: TICKET_TYPE_SERVICE_REQUEST, problem: null, assignedResourceID: null, assignedResourceRoleID: null, id: 0,
    ...partial };
}

const alert = (rest: Partial<TicketSpec>): Partial<TicketSpec> => ({ source: TICKET_SOURCE_MONITORING_ALERT,
  queueID: QUEUE_IDS.monitoring, ticketType: TICKET_TYPE_INCIDENT, priority: TICKET_PRIORITY_IDS.high, ...rest });

export function buildDemoTickets(now: Date, rng: Rng): TicketSpec[] {
  const tickets: TicketSpec[] = [];
  for (let day = -14; day <= -1; day += 1) {
    const createDate = dayAt(now, day, 13, rng.int(0, 239));
    const open = day >= -2;
    tickets.push(spec({ story: 'narcoleptic', createDate, title: OFFLINE_TITLES[(day + 14) % OFFLINE_TITLES.length] as string,
      description: `Monitoring lost contact with SRV-DC01 at ${createDate.toISOString().slice(11, 16)} UTC.`,
      companyID: DEMO_COMPANY.northwind, ...alert({ configurationItemID: DEMO_CI.northwindDc, issueType: ISSUE_TYPE_IDS.hardware,
        subIssueType: SUB_ISSUE_TYPE_IDS.server, status: open ? TICKET_STATUS_IDS.new : TICKET_STATUS_IDS.complete,
        completedDate: open ? null : addMinutes(createDate, rng.int(20, 55)) }) }));
  }
  const problem = spec({ story: 'problem', createDate: dayAt(now, -20, 9, 12), title: 'Recurring backup failures on NAS01',
    description: 'Nightly backup of NAS01 keeps failing; investigating storage latency.', companyID: DEMO_COMPANY.fabrikam,
    configurationItemID: DEMO_CI.fabrikamBackupJob, ticketType: TICKET_TYPE_PROBLEM, status: TICKET_STATUS_IDS.inProgress,
    priority: TICKET_PRIORITY_IDS.high, issueType: ISSUE_TYPE_IDS.backup, subIssueType: SUB_ISSUE_TYPE_IDS.backupJob,
    assignedResourceID: TECHNICIANS[1]?.resourceId ?? null, assignedResourceRoleID: TECHNICIANS[1]?.defaultRoleId ?? null });
  tickets.push(problem);
  const backupDays = [-30, -27, -24, -21, -18, -15, -12, -9, -6, -3];
  backupDays.forEach((day, index) => {
    const createDate = dayAt(now, day, 2, rng.int(5, 55));
    const newest = index === backupDays.length - 1;
    tickets.push(spec({ story: 'backup', createDate, title: BACKUP_TITLES[index % BACKUP_TITLES.length] as string,
      description: `Job Nightly-NAS01 ended with status Failed at ${createDate.toISOString().slice(11, 16)} UTC.`,
      companyID: DEMO_COMPANY.fabrikam, ...alert({ configurationItemID: DEMO_CI.fabrikamBackupJob, issueType: ISSUE_TYPE_IDS.backup,
        subIssueType: SUB_ISSUE_TYPE_IDS.backupJob, status: newest ? TICKET_STATUS_IDS.new : TICKET_STATUS_IDS.complete,
        completedDate: newest ? null : addMinutes(createDate, rng.int(300, 600)), problem: newest ? null : problem }) }));
  });
  const decoyDate = dayAt(now, -40, 15, 8);
  tickets.push(spec({ story: 'decoy', createDate: decoyDate, title: 'Server SRV-DC01 is offline', companyID: DEMO_COMPANY.contoso,
    description: 'Monitoring lost contact with SRV-DC01 (Contoso) during a planned reboot.',
    ...alert({ configurationItemID: DEMO_CI.contosoDc, status: TICKET_STATUS_IDS.complete, completedDate: addMinutes(decoyDate, 12) }) }));
  MONITORING_NOISE.forEach(([title, companyID, ci], index) => {
    const createDate = dayAt(now, -26 + index * 4, rng.int(0, 23), rng.int(0, 59));
    tickets.push(spec({ story: 'monitoringNoise', createDate, title, companyID, description: `${title}.`,
      ...alert({ configurationItemID: ci, priority: TICKET_PRIORITY_IDS.medium, status: TICKET_STATUS_IDS.complete,
        completedDate: addMinutes(createDate, rng.int(30, 600)) }) }));
  });
  tickets.push(...serviceTickets(now, rng));
  return tickets;
}

function serviceTickets(now: Date, rng: Rng): TicketSpec[] {
  const active = TECHNICIANS.filter((t) => t.active);
  const inactive = TECHNICIANS.find((t) => !t.active);
  const out: TicketSpec[] = [];
  const perCompany: Array<[number, number]> = [[DEMO_COMPANY.northwind, 30], [DEMO_COMPANY.contoso, 18],
    [DEMO_COMPANY.fabrikam, 16], [DEMO_COMPANY.tailspin, 8]];
  for (const [companyID, count] of perCompany) {
    for (let i = 0; i < count; i += 1) {
      // Spread over the last four weeks; the last three of each company are still open.
      const day = -28 + Math.floor((i * 27) / count);
      const open = i >= count - 3;
      const createDate = dayAt(now, open ? -1 - (count - 1 - i) : day, rng.int(7, 17), rng.int(0, 59));
      const tech = open && i === count - 1 && companyID === DEMO_COMPANY.contoso ? inactive
        : open && i === count - 1 && companyID === DEMO_COMPANY.tailspin ? undefined
          : i < 6 && inactive && companyID === DEMO_COMPANY.northwind ? inactive : active[(i + companyID) % active.length];
      const roleId = tech ? (tech.roleIds[(i >> 1) % tech.roleIds.length] as number) : null;
      const title = (NOISE_TITLES[(i * 7 + companyID) % NOISE_TITLES.length] as string).replace('{name}', rng.pick(NAMES));
      out.push(spec({ story: 'service', createDate, title, description: `${title}. Reported by the customer.`, companyID,
        status: open ? rng.pick([TICKET_STATUS_IDS.new, TICKET_STATUS_IDS.inProgress, TICKET_STATUS_IDS.waitingCustomer]) : TICKET_STATUS_IDS.complete,
        completedDate: open ? null : addMinutes(createDate, rng.int(2, 72) * 60), priority: rng.pick([1, 2, 2, 3]),
        source: rng.pick([-1, 2, 4, 4, 11]), issueType: ISSUE_TYPE_IDS.software, subIssueType: SUB_ISSUE_TYPE_IDS.email,
        assignedResourceID: tech?.resourceId ?? null, assignedResourceRoleID: tech ? roleId : null }));
    }
  }
  return out;
}
