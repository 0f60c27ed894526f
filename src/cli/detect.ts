/**
 * `autotask-sync detect --input <tickets.jsonl> [--rules <file>] [--now <date-time>]` (docs/contract.md#commands): the
 * problem-detection rules over an export, for tuning rule sets on an MSP's own tickets without a tenant.
 * Input: JSON Lines, one Autotask Ticket per line with the REST field names; it is streamed and each line is
 * validated (the first bad line stops the run, naming the line and the field). Rules: a JSON file holding the
 * `detection` section, or a whole SYNC_CONFIG; without one, the section's defaults. Output: one JSON object per
 * group, `{"problemTicketId","ticketIds","reason","confidence","confidenceReason"}`; a one-line summary goes to stderr.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { detectionSection, type DetectionConfig } from '../../config/sections/detection.js';
import { fileSchema } from '../../config/schema.js';
import { atDateTimeOrNull, atId, atIdOrNull, atTextOrNull } from '../autotask/schemas/common.js';
import { errorMessage, InputError } from '../lib/errors.js';
import { formatZodIssues } from '../lib/zod-issues.js';
import { runTune } from './detect-tune.js';
import { readJsonLines } from './json-lines.js';
import { detectProblems, type DetectionTicket, type ProblemGroup } from '../rules/problem-detection.js';
import { plural } from '../lib/plural.js';

export interface CommandIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
}

export const USAGE = `usage: autotask-sync detect --input <tickets.jsonl> [--rules <file>] [--now <date-time>]
       autotask-sync detect --tune --input <tickets.jsonl> [--labels <gold.jsonl>] [--rules <file>] [--write-rules <file>]

  --input  JSON Lines, one Autotask ticket per line (REST field names)
  --rules  JSON with the "detection" section of SYNC_CONFIG, or a whole SYNC_CONFIG (default: built-in rule sets)
  --now    judge the tickets as of this UTC date-time (default: the latest createDate in the input)
  --tune   learn rules on the earlier 70% by createDate, score them on the later 30% (docs/problem-detection.md#tuning)
  --labels JSON Lines {"id","group"} (default: tickets with equal problemTicketId share a group)
  --write-rules  write the tuned rules as a "detection" section
`;

/** The detection input fields (docs/contract.md#detection-input); every field but id may be null or missing. */
const ticketLine = z.looseObject({
  id: atId,
  ticketNumber: atTextOrNull,
  title: atTextOrNull,
  companyID: atIdOrNull,
  companyLocationID: atIdOrNull,
  configurationItemID: atIdOrNull,
  contactID: atIdOrNull,
  createDate: atDateTimeOrNull,
  completedDate: atDateTimeOrNull,
  issueType: atIdOrNull,
  subIssueType: atIdOrNull,
  queueID: atIdOrNull,
  source: atIdOrNull,
  priority: atIdOrNull,
  status: atIdOrNull,
  ticketType: atIdOrNull,
  problemTicketId: atIdOrNull,
  externalID: atTextOrNull,
});

function describeIssues(error: z.ZodError): string {
  return formatZodIssues(error, '', '(value)');
}

/**
 * Streams the file and keeps only the fields detection reads (a description can be 8000 characters;
 * docs/autotask-api.md#tickets), so memory grows with the ticket count, not the file size.
 */
export async function readTicketsFile(path: string): Promise<{ tickets: DetectionTicket[]; latest: number | null }> {
  const tickets: DetectionTicket[] = [];
  const seen = new Map<number, number>();
  let latest: number | null = null;
  for await (const { lineNo, value: raw } of readJsonLines(path)) {
    const parsed = ticketLine.safeParse(raw);
    if (!parsed.success) throw new InputError(`${path} line ${lineNo}: ${describeIssues(parsed.error)}`);
    const t = parsed.data;
    const first = seen.get(t.id);
    if (first !== undefined) throw new InputError(`${path} line ${lineNo}: id: ticket ${t.id} already on line ${first}`);
    seen.set(t.id, lineNo);
    tickets.push({ id: t.id, ticketNumber: t.ticketNumber, title: t.title, companyID: t.companyID,
      companyLocationID: t.companyLocationID, configurationItemID: t.configurationItemID, contactID: t.contactID,
      createDate: t.createDate, completedDate: t.completedDate, issueType: t.issueType, subIssueType: t.subIssueType,
      queueID: t.queueID, source: t.source, priority: t.priority, status: t.status, ticketType: t.ticketType,
      problemTicketId: t.problemTicketId, externalID: t.externalID });
    if (t.createDate) {
      const ms = Date.parse(t.createDate);
      if (latest === null || ms > latest) latest = ms;
    }
  }
  return { tickets, latest };
}

/** Keys that only a whole SYNC_CONFIG has (the detection section has none of them). */
const FILE_ONLY_KEYS = new Set(Object.keys(fileSchema.shape));

/** The `detection` section from a rules file (the section itself, or a whole SYNC_CONFIG), or the defaults. */
export async function loadDetectionRules(path: string | undefined): Promise<DetectionConfig> {
  if (path === undefined) return detectionSection.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code ? `cannot read rules ${path} (${code})` : `rules ${path} is not valid JSON (${errorMessage(error)})`);
  }
  const whole = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && Object.keys(raw).some((k) => FILE_ONLY_KEYS.has(k));
  if (whole) {
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) throw new InputError(`rules ${path}: ${describeIssues(parsed.error)}`);
    return parsed.data.detection;
  }
  const parsed = detectionSection.safeParse(raw);
  if (!parsed.success) throw new InputError(`rules ${path}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** The detection output line (docs/problem-detection.md): the group, why, and how sure (0..1) with why. */
export function formatGroup(group: ProblemGroup): string {
  return JSON.stringify({ problemTicketId: group.problemTicketId, ticketIds: group.ticketIds, reason: group.reason,
    confidence: group.confidence, confidenceReason: group.confidenceReason });
}

interface DetectArgs { input: string; rules?: string; now?: number; tune?: { labels?: string; writeRules?: string } }

function parseCli(argv: string[]): DetectArgs | string {
  let values: { input?: string; rules?: string; now?: string; help?: boolean; tune?: boolean; labels?: string; 'write-rules'?: string };
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: {
      input: { type: 'string' }, rules: { type: 'string' }, now: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      tune: { type: 'boolean' }, labels: { type: 'string' }, 'write-rules': { type: 'string' },
    } }));
  } catch (error) {
    return errorMessage(error);
  }
  if (values.help) return '';
  if (!values.input) return '--input is required';
  if (!values.tune && (values.labels !== undefined || values['write-rules'] !== undefined)) return '--labels and --write-rules need --tune';
  let now: number | undefined;
  if (values.now !== undefined) {
    const parsed = atDateTimeOrNull.safeParse(values.now);
    if (!parsed.success || parsed.data === null) return `--now: not a date-time: ${values.now}`;
    now = Date.parse(parsed.data);
  }
  const tune = values.tune ? { ...(values.labels ? { labels: values.labels } : {}), ...(values['write-rules'] ? { writeRules: values['write-rules'] } : {}) } : undefined;
  return { input: values.input, ...(values.rules ? { rules: values.rules } : {}), ...(now === undefined ? {} : { now }), ...(tune ? { tune } : {}) };
}

export async function detectCommand(argv: string[], io: CommandIo = process): Promise<number> {
  const args = parseCli(argv);
  if (typeof args === 'string') {
    if (args === '') {
      io.stdout.write(USAGE);
      return 0;
    }
    io.stderr.write(`autotask-sync detect: ${args}\n\n${USAGE}`);
    return 2;
  }
  try {
    const started = performance.now();
    const config = await loadDetectionRules(args.rules);
    const { tickets, latest } = await readTicketsFile(args.input);
    if (args.tune) {
      await runTune({ input: args.input, ...args.tune }, config, tickets, io);
      io.stderr.write(`detect --tune: ${plural(tickets.length, 'ticket')} (${Math.round(performance.now() - started)} ms)\n`);
      return 0;
    }
    // An old export is judged as of its own last ticket, not today, unless --now says otherwise.
    const now = args.now ?? latest ?? Date.now();
    const result = detectProblems({ tickets, ruleSets: config.ruleSets,
      options: { linkCompleted: config.linkCompleted, now } });
    const out = result.groups.map((g) => `${formatGroup(g)}\n`).join('');
    if (out) io.stdout.write(out);
    const ms = Math.round(performance.now() - started);
    io.stderr.write(`detect: ${plural(tickets.length, 'ticket')}, ${plural(result.groups.length, 'group')}, `
      + `${plural(result.stats.newLinks, 'ticket')} to link, as of ${new Date(now).toISOString()} (${ms} ms)\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    io.stderr.write(`autotask-sync detect: ${error.message}\n`);
    return 1;
  }
}
