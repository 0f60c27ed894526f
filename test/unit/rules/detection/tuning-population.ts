/**
 * A generated ticket population where the right rule is known (for the tuner's tests and the `detect --tune`
 * fixture): problems are bursts of 4 tickets on one configuration item with one title within 3 hours, linked by a
 * person to a Problem ticket; everything else is everyday noise (common titles on random configuration items at
 * random times over 60 days). The rule that finds the problems: same configuration item (or title), short window.
 */
import type { DetectionTicket } from '../../../../src/rules/detection-types.js';
import { DAY, seeded, T0 } from './fixtures.js';

const NOISE_TITLES = ['Password reset', 'Printer jam', 'Outlook slow', 'New starter laptop', 'VPN disconnects', 'Teams audio',
  'Mailbox full', 'Shared drive access', 'Monitor flickers', 'Licence request'];

export function tuningPopulation(seed = 7, problems = 40, noise = 800): { tickets: DetectionTicket[]; gold: Map<number, string> } {
  const random = seeded(seed);
  const pick = (n: number): number => Math.floor(random() * n);
  const tickets: DetectionTicket[] = [];
  const gold = new Map<number, string>();
  let id = 5000;
  const base = (at: number, ci: number, title: string): DetectionTicket => ({ id: id++, title, companyID: 10 + (ci % 5), configurationItemID: ci,
    queueID: 1 + pick(3), source: 2, priority: 1 + pick(3), createDate: new Date(T0 + at).toISOString(), ticketType: 1, status: 5, problemTicketId: null });
  for (let i = 0; i < noise; i += 1) tickets.push(base(random() * 60 * DAY, 100 + pick(40), NOISE_TITLES[pick(NOISE_TITLES.length)]!));
  for (let p = 0; p < problems; p += 1) {
    const ci = 100 + pick(40);
    const start = random() * 58 * DAY;
    const title = `Service ${p} stopped on host ${ci}`;
    const problem: DetectionTicket = { ...base(start + 4 * 3_600_000, ci, `Problem: ${title}`), ticketType: 3, status: 1 };
    for (let k = 0; k < 4; k += 1) {
      const t = { ...base(start + random() * 3 * 3_600_000, ci, title), problemTicketId: problem.id };
      tickets.push(t);
      gold.set(t.id, `p${p}`);
    }
    tickets.push(problem);
    gold.set(problem.id, `p${p}`);
  }
  return { tickets, gold };
}
