/**
 * Scores a grouping over the WHOLE ticket population (issue 15; the UCI data folder's README defines it the same
 * way). A ticket without a gold label belongs to no problem: in the truth it is a group of its own, so grouping it
 * with others costs precision. Figures:
 * - share grouped (tickets put in predicted groups of two or more) next to the true share;
 * - pairwise: predicted same-group pairs over all tickets, correct when both share a gold group;
 * - B-cubed: per ticket of a gold group of two or more, precision and recall of its whole predicted group (a lone
 *   ticket when ungrouped) against its gold group, averaged;
 * - link precision: of the tickets in predicted groups, the share that truly belong to a multi-ticket gold group.
 * Used by the story tests, test/bench/detection-uci.ts and the tuner (detection-tuning.ts).
 */
export interface Scores {
  tickets: number;
  grouped: number;
  trulyGrouped: number;
  groupedShare: number;
  trueShare: number;
  predictedPairs: number;
  correctPairs: number;
  goldPairs: number;
  precision: number;
  recall: number;
  f1: number;
  bcubedPrecision: number;
  bcubedRecall: number;
  bcubedF1: number;
  bcubedTickets: number;
  linkPrecision: number;
}

const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const pairs = (n: number): number => (n * (n - 1)) / 2;

/**
 * `predicted`: groups of ticket ids; `gold`: ticket id → gold group label (unlabelled tickets absent);
 * `population`: how many tickets were scored (every ticket of the input, labelled or not).
 */
export function scoreGrouping(predicted: readonly (readonly number[])[], gold: ReadonlyMap<number, string>, population: number): Scores {
  const goldMembers = new Map<string, number[]>();
  for (const [id, label] of gold) {
    const list = goldMembers.get(label);
    if (list) list.push(id);
    else goldMembers.set(label, [id]);
  }
  let goldPairs = 0;
  let trulyGrouped = 0;
  for (const members of goldMembers.values()) {
    goldPairs += pairs(members.length);
    if (members.length >= 2) trulyGrouped += members.length;
  }
  const inGoldGroup = (id: number): boolean => {
    const label = gold.get(id);
    return label !== undefined && goldMembers.get(label)!.length >= 2;
  };

  const predictedOf = new Map<number, number[]>();
  let predictedPairs = 0;
  let correctPairs = 0;
  let grouped = 0;
  let groupedRight = 0;
  for (const group of predicted) {
    const members = [...new Set(group)];
    if (members.length < 2) continue;
    for (const id of members) predictedOf.set(id, members);
    grouped += members.length;
    groupedRight += members.filter(inGoldGroup).length;
    predictedPairs += pairs(members.length);
    const counts = new Map<string, number>();
    for (const id of members) {
      const label = gold.get(id);
      if (label !== undefined) counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    for (const n of counts.values()) correctPairs += pairs(n);
  }
  const precision = predictedPairs === 0 ? 0 : correctPairs / predictedPairs;
  const recall = goldPairs === 0 ? 0 : correctPairs / goldPairs;

  let bp = 0;
  let br = 0;
  let bn = 0;
  for (const [label, members] of goldMembers) {
    if (members.length < 2) continue;
    for (const id of members) {
      const mine = predictedOf.get(id) ?? [id];
      const hit = mine.filter((other) => gold.get(other) === label).length;
      bp += hit / mine.length;
      br += hit / members.length;
      bn += 1;
    }
  }
  const bcubedPrecision = bn === 0 ? 0 : bp / bn;
  const bcubedRecall = bn === 0 ? 0 : br / bn;
  return { tickets: population, grouped, trulyGrouped, groupedShare: population === 0 ? 0 : grouped / population,
    trueShare: population === 0 ? 0 : trulyGrouped / population, predictedPairs, correctPairs, goldPairs, precision, recall,
    f1: f1(precision, recall), bcubedPrecision, bcubedRecall, bcubedF1: f1(bcubedPrecision, bcubedRecall), bcubedTickets: bn,
    linkPrecision: grouped === 0 ? 0 : groupedRight / grouped };
}
