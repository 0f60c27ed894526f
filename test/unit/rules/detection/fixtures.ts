/** Builders for the story tests: Autotask-shaped tickets (REST field names, docs/autotask-api.md#tickets). */
import { detectionSection } from '../../../../config/sections/detection.js';
import type { DetectionRuleSet, DetectionTicket } from '../../../../src/rules/detection-types.js';

export const SOURCE_MONITORING = 8;
export const SOURCE_PHONE = 2;
export const DAY = 86_400_000;
export const T0 = Date.parse('2026-03-02T00:00:00.000Z');

/** The default rule sets, exactly as a SYNC_CONFIG without a `ruleSets` list resolves them. */
export function defaultRuleSets(): DetectionRuleSet[] {
  return detectionSection.parse({}).ruleSets;
}

export class TicketFactory {
  private next: number;
  constructor(firstId = 1000) {
    this.next = firstId;
  }

  /** A new incident-ish ticket `days` (fractional) after T0. */
  make(days: number, fields: Partial<DetectionTicket> = {}): DetectionTicket {
    const id = fields.id ?? this.next++;
    return {
      id,
      ticketNumber: `T2026.${id}`,
      title: 'untitled',
      description: null,
      companyID: 1,
      companyLocationID: null,
      configurationItemID: null,
      contactID: null,
      createDate: new Date(T0 + days * DAY).toISOString(),
      issueType: null,
      subIssueType: null,
      queueID: 8,
      source: SOURCE_PHONE,
      priority: 2,
      status: 1,
      ticketType: 2,
      problemTicketId: null,
      externalID: null,
      ...fields,
    };
  }
}

/** The latest createDate of the tickets (what `detect` uses as `now`). */
export function latest(tickets: readonly DetectionTicket[]): number {
  return Math.max(...tickets.map((t) => (t.createDate ? Date.parse(t.createDate) : 0)));
}

/** A deterministic pseudo-random sequence, so generated stories never flake. */
export { seededRandom as seeded } from '../../../helpers/seeded-random.js';
