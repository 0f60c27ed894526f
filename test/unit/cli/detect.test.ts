import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { detectCommand } from '../../../src/cli/detect.js';
import type { DetectionTicket } from '../../../src/rules/detection-types.js';
import { allStories, narcolepticServer } from '../rules/detection/stories.js';

const dir = mkdtempSync(join(tmpdir(), 'detect-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

function file(content: string): string {
  const path = join(dir, `f${fileNo++}.json`);
  writeFileSync(path, content);
  return path;
}
const jsonl = (tickets: readonly object[]): string => tickets.map((t) => JSON.stringify(t)).join('\n') + '\n';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string; lines: unknown[] }> {
  let out = '';
  let err = '';
  const code = await detectCommand(argv, { stdout: { write: (s: string) => { out += s; } }, stderr: { write: (s: string) => { err += s; } } });
  // Parsed on access, so a non-JSON stdout (usage text) fails only the tests that expect groups.
  return { code, out, err, get lines() { return out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown); } };
}

describe('autotask-sync detect', () => {
  it('prints one line per group in the docs/contract.md#detection-output format', async () => {
    const story = narcolepticServer();
    const { code, lines, err } = await run('--input', file(jsonl(story.tickets)));
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    const line = lines[0] as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(['problemTicketId', 'ticketIds', 'reason', 'confidence', 'confidenceReason']);
    expect(line.confidence).toBeGreaterThanOrEqual(0.5);
    expect(line.confidence).toBeLessThanOrEqual(1);
    expect(line.problemTicketId).toBeNull();
    expect(line.ticketIds).toEqual(story.tickets.map((t) => t.id));
    expect(line.reason).toMatch(/^14 tickets .*configurationItemID 100/);
    // `now` defaults to the latest createDate, so an old export is judged as of its own end.
    expect(err).toContain(`as of ${story.tickets[13]!.createDate}`);
  });

  it('groups all stories as the rules do, reading sparse lines (missing and null fields), CRLF and a BOM', async () => {
    const tickets = allStories().flatMap((s) => s.tickets)
      .map((t) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== null)) as DetectionTicket);
    const { code, lines } = await run('--input', file(`\uFEFF\n${jsonl(tickets).replaceAll('\n', '\r\n')}\n`));
    expect(code).toBe(0);
    expect(lines).toHaveLength(13);
  });

  it('names the line and the field of a bad ticket, and exits 1', async () => {
    const good = { id: 1, title: 'x', createDate: '2026-03-01T10:00:00Z' };
    let r = await run('--input', file(jsonl([good, { id: 2, createDate: 'yesterday' }])));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 2: createDate: not a date-time/);
    expect(r.out).toBe('');
    r = await run('--input', file(jsonl([good, good].map((t, i) => ({ ...t, id: i + 1 }))).concat('{"id": 3,')));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 3: not valid JSON/);
    r = await run('--input', file(jsonl([good, { title: 'no id' }])));
    expect(r.err).toMatch(/line 2: id: /);
    r = await run('--input', file(jsonl([good, { id: 5, companyID: '12' }])));
    expect(r.err).toMatch(/line 2: companyID: /);
    r = await run('--input', file(jsonl([good, good])));
    expect(r.err).toMatch(/line 2: id: ticket 1 already on line 1/);
    r = await run('--input', join(dir, 'missing.jsonl'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot read .*missing\.jsonl \(ENOENT\)/);
  });

  it('reads rules as a detection section or as a whole SYNC_CONFIG, and names a bad field', async () => {
    const input = file(jsonl(narcolepticServer().tickets));
    const strict = { ruleSets: [{ name: 'strict', minCount: 20 }] };
    expect((await run('--input', input, '--rules', file(JSON.stringify(strict)))).lines).toHaveLength(0);
    const whole = { schedules: [], detection: { ruleSets: [{ name: 'loose', minCount: 2 }] } };
    const r = await run('--input', input, '--rules', file(JSON.stringify(whole)));
    expect(r.lines).toHaveLength(1);
    expect((r.lines[0] as { reason: string }).reason).toContain('rule set "loose"');

    const bad = await run('--input', input, '--rules', file(JSON.stringify({ ruleSets: [{ name: 'x', keyFields: ['colour'] }] })));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/rules .*: ruleSets\.0\.keyFields\.0: /);
    const badWhole = await run('--input', input, '--rules', file(JSON.stringify({ detection: { linkCompleted: 'yes' } })));
    expect(badWhole.err).toMatch(/detection\.linkCompleted: /);
    expect((await run('--input', input, '--rules', file('{oops'))).err).toMatch(/not valid JSON/);
  });

  it('judges as of --now: later tickets are left out', async () => {
    const story = narcolepticServer();
    const input = file(jsonl(story.tickets));
    const r = await run('--input', input, '--now', story.tickets[1]!.createDate!);
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(0);
    const later = await run('--input', input, '--now', story.tickets[4]!.createDate!);
    expect((later.lines[0] as { ticketIds: number[] }).ticketIds).toEqual(story.tickets.slice(0, 5).map((t) => t.id));
    expect((await run('--input', input, '--now', 'soon')).code).toBe(2);
  });

  it('answers usage errors with 2 and --help with 0', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('--input')).code).toBe(2);
    expect((await run('--input', 'x', '--frobnicate')).err).toMatch(/frobnicate/);
    const help = await run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--rules');
  });
});

describe('autotask-sync detect --tune (test/fixtures/detection/tune-tickets.jsonl: person-linked bursts among everyday noise)', () => {
  const fixture = new URL('../../fixtures/detection/tune-tickets.jsonl', import.meta.url).pathname;

  it('learns from the problemTicketId links, prints held-out figures for tuned, configured and sweep-chosen rules, writes a rules file detect accepts', async () => {
    const rulesPath = join(dir, 'tuned.json');
    const { code, out } = await run('--tune', '--input', fixture, '--write-rules', rulesPath);
    expect(code).toBe(0);
    expect(out).toMatch(/learnt on 280 tickets before .*, scored on the later 120/);
    const figure = (name: string): number[] => out.split('\n').find((l) => l.startsWith(name))!.slice(name.length).trim().split(/\s+/).slice(0, 3).map(Number);
    const [tunedP, , tunedF1] = figure('tuned');
    const [configuredP, , configuredF1] = figure('configured rules');
    const [, , sweepF1] = figure('sweep-chosen rule');
    expect(tunedF1).toBeGreaterThanOrEqual(sweepF1!);
    expect(tunedF1).toBeGreaterThan(configuredF1!);
    expect(tunedP).toBeGreaterThan(configuredP!);
    expect(out).toContain(`rules written to ${rulesPath}`);

    // The same tickets before anyone linked them: the written rules find the bursts again.
    const unlinked = readFileSync(fixture, 'utf8').split('\n').filter(Boolean)
      .map((l) => ({ ...(JSON.parse(l) as object), problemTicketId: null, ticketType: 1 }));
    const detected = await run('--input', file(jsonl(unlinked)), '--rules', rulesPath);
    expect(detected.code).toBe(0);
    expect((detected.lines as { reason: string }[]).length).toBeGreaterThan(0);
    expect((detected.lines as { reason: string }[])[0]!.reason).toContain('tuned');
  });

  it('takes the labels from --labels lines, and refuses --labels without --tune or an export without any labels', async () => {
    const labels = file('{"id":5000,"group":"a"}\n{"id":5001,"group":"a"}\n');
    expect((await run('--tune', '--input', fixture, '--labels', labels)).code).toBe(0);
    expect((await run('--input', fixture, '--labels', labels)).err).toContain('--labels and --write-rules need --tune');
    const unlabelled = file(jsonl([{ id: 1, title: 'a', createDate: '2026-01-01T00:00:00Z' }]));
    const none = await run('--tune', '--input', unlabelled);
    expect(none.code).toBe(1);
    expect(none.err).toContain('no labels');
    const bad = await run('--tune', '--input', fixture, '--labels', file('{"id":1}\n'));
    expect(bad.err).toMatch(/line 1: expected \{"id"/);
  });
});
