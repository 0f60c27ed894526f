/**
 * Scores a grouping against gold labels as shared/data/uci-incidents/README.md describes: only labelled tickets
 * count. Pairwise: predicted same-group pairs among labelled tickets, correct when both share a gold group.
 * B-cubed: per ticket in a gold group of two or more, precision and recall of its predicted group (restricted to
 * labelled tickets, a lone ticket when ungrouped) against its gold group, averaged. Used by the story tests and
 * by test/bench/detection-uci.ts.
 */
export interface Scores {
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
}

const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** `predicted`: groups of ticket ids; `gold`: ticket id → gold group label (unlabelled tickets absent). */
export function scoreGrouping(predicted: readonly (readonly number[])[], gold: ReadonlyMap<number, string>): Scores {
  const goldMembers = new Map<string, number[]>();
  for (const [id, label] of gold) {
    const list = goldMembers.get(label);
    if (list) list.push(id);
    else goldMembers.set(label, [id]);
  }
  let goldPairs = 0;
  for (const members of goldMembers.values()) goldPairs += (members.length * (members.length - 1)) / 2;

  const predictedOf = new Map<number, number[]>();
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const group of predicted) {
    const labelled = [...new Set(group)].filter((id) => gold.has(id));
    for (const id of labelled) predictedOf.set(id, labelled);
    const counts = new Map<string, number>();
    for (const id of labelled) counts.set(gold.get(id)!, (counts.get(gold.get(id)!) ?? 0) + 1);
    predictedPairs += (labelled.length * (labelled.length - 1)) / 2;
    for (const n of counts.values()) correctPairs += (n * (n - 1)) / 2;
  }
  const precision = predictedPairs === 0 ? 0 : correctPairs / predictedPairs;
  const recall = goldPairs === 0 ? 0 : correctPairs / goldPairs;

  let bp = 0;
  let br = 0;
  let bn = 0;
  for (const members of goldMembers.values()) {
    if (members.length < 2) continue;
    const label = gold.get(members[0]!)!;
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
  return { predictedPairs, correctPairs, goldPairs, precision, recall, f1: f1(precision, recall),
    bcubedPrecision, bcubedRecall, bcubedF1: f1(bcubedPrecision, bcubedRecall), bcubedTickets: bn };
}
