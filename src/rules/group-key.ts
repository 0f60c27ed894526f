/**
 * The stable id of a problem group. The detect-problems job writes it into the new Problem's `externalID`
 * (docs/autotask-api.md#tickets: externalID ≤ 50 characters) so that, when the answer to the POST is lost, a rerun finds
 * the Problem it made instead of making a second one (docs/autotask-api.md#writing).
 */
import { createHash } from 'node:crypto';

export const GROUP_KEY_MAX = 50;
const HASH_PREFIX = 'pd1:';

/**
 * `ruleSet|key values|title signature` when that fits in 50 characters, else `pd1:` and 40 hex digits of its
 * SHA-256 — the same inputs always give the same key, in any process.
 */
export function groupKeyOf(ruleSet: string, keyValues: readonly (string | number)[], signature: string): string {
  const plain = `${ruleSet}|${keyValues.join(',')}|${signature}`;
  if (plain.length <= GROUP_KEY_MAX && !plain.startsWith(HASH_PREFIX)) return plain;
  return HASH_PREFIX + createHash('sha256').update(plain).digest('hex').slice(0, 40);
}

/**
 * The key of the next Problem of a series whose Problem (carrying `groupKey`) was completed: a recurrence after
 * closure gets a new Problem, and the closed one is never joined again. Derived from the closed Problem's id, so
 * a rerun computes the same key and finds the new Problem it made.
 */
export function recurrenceKeyOf(groupKey: string, closedProblemId: number): string {
  return HASH_PREFIX + createHash('sha256').update(`${groupKey}|after|${closedProblemId}`).digest('hex').slice(0, 40);
}

/** The id of a suggestion: its group key and members, so the same group proposed twice is one suggestion. */
export function suggestionIdOf(groupKey: string, ticketIds: readonly number[]): string {
  return createHash('sha256').update(`${groupKey}|${[...ticketIds].sort((a, b) => a - b).join(',')}`).digest('hex').slice(0, 24);
}
