/**
 * Per-ticket facts the detector needs: the create time, whether a rule set's filters let the ticket in, and the
 * value of its key. Kept apart from the grouping so both stay short.
 */
import type { DetectionKeyField, DetectionRuleSet, DetectionTicket } from './detection-types.js';

/** A ticket with its parsed create time (epoch ms, null when missing or unreadable). */
export interface TicketRecord {
  readonly ticket: DetectionTicket;
  readonly time: number | null;
}

/** Autotask date-times are UTC; a value without a zone is UTC too (docs/autotask-api.md#dates). */
export function parseTime(value: string | null | undefined): number | null {
  if (!value) return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(value);
  const ms = Date.parse(hasZone || value.length <= 10 ? value : `${value}Z`);
  return Number.isNaN(ms) ? null : ms;
}

export function compareRecords(a: TicketRecord, b: TicketRecord): number {
  return (a.time ?? 0) - (b.time ?? 0) || a.ticket.id - b.ticket.id;
}

/** The exact title, case and spacing aside (the `title` key field). */
export function exactTitle(title: string | null | undefined): string | null {
  if (!title) return null;
  const value = title.trim().replace(/\s+/g, ' ').toLowerCase();
  return value === '' ? null : value;
}

export function keyValue(ticket: DetectionTicket, field: DetectionKeyField): string | number | null {
  if (field === 'title') return exactTitle(ticket.title);
  const value = ticket[field];
  return typeof value === 'number' ? value : null;
}

/** The key field values, or null when any of them is missing (a null never matches another null). */
export function keyValues(ticket: DetectionTicket, fields: readonly DetectionKeyField[]): (string | number)[] | null {
  const values: (string | number)[] = [];
  for (const field of fields) {
    const value = keyValue(ticket, field);
    if (value === null) return null;
    values.push(value);
  }
  return values;
}

type KeyNode = Map<string | number, KeyNode | number[]>;

/**
 * Tickets bucketed by their key field values, as a tree with one level per field: no key string is built per
 * ticket (a million tickets would mean a million strings to allocate and hash). Leaves hold candidate indexes.
 */
export class KeyBuckets {
  private readonly root: KeyNode = new Map();
  constructor(private readonly fields: readonly DetectionKeyField[]) {}

  /** The ticket's bucket, created when `create`; null when a key field is missing (or absent and not created). */
  find(ticket: DetectionTicket, create: boolean): number[] | null {
    let node = this.root;
    const last = this.fields.length - 1;
    for (let f = 0; f <= last; f += 1) {
      const value = keyValue(ticket, this.fields[f]!);
      if (value === null) return null;
      let child = node.get(value);
      if (child === undefined) {
        if (!create) return null;
        child = f === last ? [] : new Map();
        node.set(value, child);
      }
      if (f === last) return child as number[];
      node = child as KeyNode;
    }
    return null;
  }

  /** Every bucket, depth first in the order their values were first seen. */
  buckets(): Generator<number[]> {
    return this.walk(this.root, 1);
  }

  private *walk(node: KeyNode, depth: number): Generator<number[]> {
    for (const child of node.values()) {
      if (depth === this.fields.length) yield child as number[];
      else yield* this.walk(child as KeyNode, depth + 1);
    }
  }
}

function allowed(list: readonly number[] | undefined, value: number | null | undefined): boolean {
  return list === undefined || list.length === 0 || (value !== null && value !== undefined && list.includes(value));
}

/** The rule set's optional filters; an empty list means "no filter". */
export function passesFilters(ticket: DetectionTicket, ruleSet: DetectionRuleSet): boolean {
  const f = ruleSet.filters;
  if (!f) return true;
  return allowed(f.source, ticket.source) && allowed(f.queueID, ticket.queueID)
    && allowed(f.issueType, ticket.issueType) && allowed(f.ticketType, ticket.ticketType);
}
