/**
 * `autotask-sync detect --tune --input <tickets.jsonl> [--labels <gold.jsonl>] [--write-rules <file>]` (issue 15,
 * docs/problem-detection.md#tuning): learns rule parameters from the tenant's own links on the earlier 70% of the
 * tickets by createDate and prints, for the later 30%, the tuned rules next to the configured (or default) rules
 * and next to the sweep's best fixed rule chosen on the same earlier 70%. Labels: tickets with equal
 * problemTicketId, or the `{"id","group"}` lines of --labels. --write-rules writes a `detection` section that
 * `detect --rules` and SYNC_CONFIG accept.
 */
import { writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { detectionSection, type DetectionConfig } from '../../config/sections/detection.js';
import { errorMessage, InputError } from '../lib/errors.js';
import type { Scores } from '../rules/detection-scoring.js';
import { readJsonLines } from './json-lines.js';
import { labelsFromLinks, tuneDetection, type TuningResult } from '../rules/detection-tuning.js';
import type { DetectionTicket } from '../rules/detection-types.js';
import { plural } from '../lib/plural.js';

const labelLine = z.strictObject({ id: z.number().int(), group: z.union([z.string().min(1), z.number()]) });

/** `{"id","group"}` per line; an id labelled twice is an error (which group would be the truth?). */
export async function readLabelsFile(path: string): Promise<Map<number, string>> {
  const gold = new Map<number, string>();
  for await (const { lineNo, value: raw } of readJsonLines(path, `labels ${path}`)) {
    const parsed = labelLine.safeParse(raw);
    if (!parsed.success) throw new InputError(`${path} line ${lineNo}: expected {"id": <ticket id>, "group": <label>}`);
    if (gold.has(parsed.data.id)) throw new InputError(`${path} line ${lineNo}: ticket ${parsed.data.id} labelled twice`);
    gold.set(parsed.data.id, String(parsed.data.group));
  }
  return gold;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const f4 = (x: number): string => x.toFixed(4);

export function tuningTable(result: TuningResult): string {
  const { split, heldOut } = result;
  const head = `tune: learnt on ${plural(split.learn, 'ticket')} before ${split.cutoff ?? '(none)'}, scored on the later ${split.holdout}`
    + ` (${split.labelled} labelled${split.undated ? `, ${split.undated} without createDate left out` : ''}); ${plural(result.candidates, 'candidate')}\n`;
  if (heldOut === null) return `${head}tune: ${result.reason}\n`;
  const row = (name: string, s: Scores): string => `${name.padEnd(20)}${f4(s.precision).padStart(8)}${f4(s.recall).padStart(8)}`
    + `${f4(s.f1).padStart(8)}${f4(s.bcubedF1).padStart(8)}${pct(s.groupedShare).padStart(9)}${pct(s.trueShare).padStart(8)}\n`;
  return `${head}held-out (later 30%)       P       R      F1   B³ F1  grouped    true\n`
    + row('tuned', heldOut.tuned) + row('configured rules', heldOut.defaults) + row('sweep-chosen rule', heldOut.sweep)
    + `tuned: ${result.reason}\nsweep-chosen rule: ${result.sweepRule}\n`;
}

/** The rules file: the configured section with the tuned rule sets, as `detect --rules` and SYNC_CONFIG read it. */
export function tunedRulesFile(config: DetectionConfig, result: TuningResult): string {
  const section = detectionSection.parse({ ...config, ruleSets: result.ruleSets });
  return `${JSON.stringify(section, null, 2)}\n`;
}

export async function runTune(args: { input: string; labels?: string; writeRules?: string }, config: DetectionConfig,
  tickets: DetectionTicket[], io: { stdout: { write(s: string): unknown } }): Promise<void> {
  const gold = args.labels ? await readLabelsFile(args.labels) : labelsFromLinks(tickets);
  if (gold.size === 0) throw new InputError(`no labels: no ticket in ${args.input} has a problemTicketId, and no --labels file was given`);
  const result = tuneDetection({ tickets, gold, defaults: config.ruleSets });
  io.stdout.write(tuningTable(result));
  if (args.writeRules) {
    if (result.ruleSets.length === 0) throw new InputError(`nothing learnt, ${args.writeRules} not written`);
    try {
      await writeFile(args.writeRules, tunedRulesFile(config, result));
    } catch (error) {
      throw new InputError(`cannot write ${args.writeRules} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
    }
    io.stdout.write(`tune: rules written to ${args.writeRules}\n`);
  }
}
