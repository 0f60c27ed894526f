/** The human-readable `reason` of a problem group: what the members share and why they belong together. */
import type { DetectionKeyField, DetectionRuleSet } from './detection-types.js';

export function formatWindow(hours: number): string {
  if (hours % 24 === 0) return `${hours / 24} day${hours === 24 ? '' : 's'}`;
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

export function describeKey(fields: readonly DetectionKeyField[], values: readonly (string | number)[]): string {
  return fields.map((field, i) => (field === 'title' ? `title "${String(values[i])}"` : `${field} ${String(values[i])}`)).join(', ');
}

function quote(title: string): string {
  const short = title.length > 80 ? `${title.slice(0, 77)}...` : title;
  return `"${short}"`;
}

function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '?';
}

function titlePart(ruleSet: DetectionRuleSet, title: string): string {
  if (ruleSet.titleSimilarity <= 0 && !ruleSet.requireSharedHost) return '';
  return ` and titles like ${quote(title)}`;
}

export interface ChainReasonInput {
  ruleSet: DetectionRuleSet;
  key: readonly (string | number)[];
  title: string;
  count: number;
  completed: number;
  first: string | null;
  last: string | null;
  /** The completed Problem this series had before: the new group is its recurrence. */
  previousProblemId?: number | null | undefined;
}

export function chainReason(r: ChainReasonInput): string {
  const history = r.completed > 0 ? ` (${r.completed} already complete)` : '';
  const recurrence = r.previousProblemId != null ? `; recurs after problem ${r.previousProblemId} was completed` : '';
  return `${r.count} tickets${history} with ${describeKey(r.ruleSet.keyFields, r.key)}${titlePart(r.ruleSet, r.title)}, `
    + `each within ${formatWindow(r.ruleSet.windowHours)} of the previous one, ${day(r.first)} to ${day(r.last)} `
    + `(rule set "${r.ruleSet.name}", at least ${r.ruleSet.minCount})${recurrence}`;
}

export interface AnchorReasonInput {
  ruleSet: DetectionRuleSet;
  key: readonly (string | number)[];
  problemId: number;
  problemTitle: string | null;
  added: number;
  linked: number;
}

export function anchorReason(r: AnchorReasonInput): string {
  const named = r.problemTitle ? ` ${quote(r.problemTitle)}` : '';
  const one = r.added === 1;
  return `${r.added} new ticket${one ? '' : 's'} with ${describeKey(r.ruleSet.keyFields, r.key)} ${one ? 'matches' : 'match'} open problem `
    + `${r.problemId}${named}, which already has ${r.linked} incident${r.linked === 1 ? '' : 's'} (rule set "${r.ruleSet.name}")`;
}
