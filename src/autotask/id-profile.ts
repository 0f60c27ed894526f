/**
 * An id profile: where the pages of the last complete partitioned read ended. A full re-read planned from it
 * (docs/autotask-api.md#re-read-profile) needs neither the count nor a first page before its chains can start, and
 * its chains end on the profile's page boundaries instead of estimates, so they finish together: at 100,000
 * records that is 201 requests in 67 rounds of 3 instead of 203 in 68 and the read's uneven end.
 *
 * The profile only places boundaries; it never decides what is read. Every chain pages its range with `id gt`
 * until the range is exhausted and the last chain is open-ended, so records that entered or left the result since
 * (new tickets, activity that moved a ticket into or out of the look-back) are read all the same: they only shift
 * how many pages a chain needs.
 */
import type { IdProfile, PartitionCursor } from './types.js';

/** Pure: the profile of a complete read from all the ids it returned (any order). */
export function profileOf(ids: ArrayLike<number>, pageSize: number): IdProfile {
  const sorted = Float64Array.from(ids).sort();
  const boundaries: number[] = [];
  for (let end = pageSize - 1; end < sorted.length; end += pageSize) boundaries.push(sorted[end]!);
  return { pageSize, boundaries, total: sorted.length };
}

/**
 * Pure: one range per chain (afterId exclusive, upTo inclusive, the top one open-ended) from a profile, or null when the profile cannot plan this read (another page size,
 * fewer full pages than chains, boundaries that are not a list of ascending integers).
 *
 * A chain ending on a boundary ends on a full page whose last id is its upper bound, so it needs no short page;
 * only the open-ended top chain ends on one. The profile's pages plus that one request are split evenly in
 * whole pages: 200 pages and 3 chains give 67 + 67 + (66 + 1).
 */
export function rangesFromProfile(profile: IdProfile, chains: number, pageSize: number): PartitionCursor[] | null {
  const { boundaries } = profile;
  const count = Math.max(1, Math.floor(chains));
  // A profile comes back from the store: its shape is checked here, in one place, not trusted.
  if (profile.pageSize !== pageSize || !Array.isArray(boundaries) || boundaries.length < count) return null;
  for (let i = 0; i < boundaries.length; i += 1) {
    if (!Number.isSafeInteger(boundaries[i]) || (i > 0 && boundaries[i]! <= boundaries[i - 1]!)) return null;
  }
  const requests = boundaries.length + 1;
  const ranges: PartitionCursor[] = [];
  let after = -1;
  for (let chain = 1; chain < count; chain += 1) {
    const upTo = boundaries[Math.round((chain * requests) / count) - 1]!;
    ranges.push({ afterId: after, upTo });
    after = upTo;
  }
  ranges.push({ afterId: after, upTo: null });
  return ranges;
}
