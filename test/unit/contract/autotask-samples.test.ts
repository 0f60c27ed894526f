/**
 * Issue 16 "Done when": replays every real (or real-shaped) Autotask payload of the shared samples folder
 * (resolved as ../shared/autotask/samples beside the repo; skipped when absent) through the worker's own code:
 * each sample is parsed, classified, validated with our schemas or error classifier, webhook bodies are signed
 * and verified both ways and checked for delivery identity, and the billing item is grouped. The facts these
 * samples carry are summarised in docs/autotask-samples.md; the repo's own fixtures written from them live in
 * test/fixtures/autotask/, so the rest of the suite does not need the folder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyResponse, type Operation } from '../../../src/autotask/classify.js';
import { fieldInformationSchema, thresholdInformationSchema, zoneInformationSchema, type EntityName } from '../../../src/autotask/schemas/index.js';
import { validateRecords } from '../../../src/autotask/validate.js';
import { escapeAutotaskJson, signHookBody, verifyHookSignature } from '../../../src/lib/hook-signature.js';
import { groupInvoices } from '../../../src/rules/invoice-grouping.js';
import { isInvoiced } from '../../../src/rules/invoice-item-fields.js';
import { deliveryIdentity } from '../../../src/rules/webhook-delivery.js';
import { webhookPayloadSchema } from '../../../src/runtime/commands/webhooks.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
// ../shared beside the repo; a git worktree one level deeper (wt/<branch>) finds it one level up again.
const samples = [join(repo, '..', 'shared', 'autotask', 'samples'), join(repo, '..', '..', 'shared', 'autotask', 'samples')]
  .find((dir) => existsSync(dir)) ?? join(repo, '..', 'shared', 'autotask', 'samples');
const present = existsSync(samples);

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? jsonFiles(join(dir, d.name))
    : d.name.endsWith('.json') ? [join(dir, d.name)] : []));
}

type Kind = { kind: 'query'; entity: EntityName } | { kind: 'error' } | { kind: 'webhook' } | { kind: 'itemId' } | { kind: 'getNull' }
  | { kind: 'count' } | { kind: 'zone' } | { kind: 'threshold' } | { kind: 'fields' } | { kind: 'request' };

/** What each sample is, by its name; an unknown name fails, so a new sample gets a check. */
function classify(path: string): Kind | null {
  const name = basename(path);
  if (relative(samples, path).startsWith('errors') || name.startsWith('error-')) return { kind: 'error' };
  if (relative(samples, path).startsWith('webhooks')) return { kind: 'webhook' };
  const rules: Array<[RegExp, Kind]> = [
    [/^billingitem-/, { kind: 'query', entity: 'BillingItems' }], [/^contract-/, { kind: 'query', entity: 'Contracts' }],
    [/^resource-/, { kind: 'query', entity: 'Resources' }], [/^ticket-/, { kind: 'query', entity: 'Tickets' }],
    [/^timeentry-/, { kind: 'query', entity: 'TimeEntries' }], [/query-company/, { kind: 'query', entity: 'Companies' }],
    [/create-answer|delete-.*-answer|patch-.*-answer/, { kind: 'itemId' }], [/get-notfound/, { kind: 'getNull' }],
    [/count-answer/, { kind: 'count' }], [/^zoneinfo-/, { kind: 'zone' }], [/^threshold-/, { kind: 'threshold' }],
    [/^fields-/, { kind: 'fields' }], [/-request-/, { kind: 'request' }],
  ];
  return rules.find(([re]) => re.test(name))?.[1] ?? null;
}

const files = present ? jsonFiles(samples).sort() : [];

describe.skipIf(!present)('Autotask samples replayed through the worker', () => {
  it('finds the samples folder with samples in it', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [relative(samples, f), f]))('%s parses, is classified and passes its check', (_name, path) => {
    const raw = readFileSync(path, 'utf8');
    const json = JSON.parse(raw) as Record<string, unknown>;
    const kind = classify(path);
    expect(kind, 'a sample this test does not know yet: give it a check').not.toBeNull();
    switch (kind!.kind) {
      case 'query': {
        expect(Array.isArray(json.items)).toBe(true);
        const records = validateRecords(kind!.entity, json.items as unknown[]);
        expect(records.length).toBe((json.items as unknown[]).length);
        break;
      }
      case 'error': {
        const sample = (json.status === undefined ? { status: 500, operation: 'read', body: json } : json) as { status: number; operation: string; body: unknown };
        const operation = (['read', 'get', 'create', 'write', 'zone'].includes(sample.operation) ? sample.operation : 'read') as Operation;
        const verdict = classifyResponse({ status: sample.status, body: sample.body, operation, method: operation === 'read' ? 'POST' : 'PATCH', entity: 'Tickets' });
        expect(verdict.error.code).toMatch(/^AUTOTASK_/);
        const text = JSON.stringify(sample.body);
        if (/thread threshold/i.test(text)) expect(verdict.retry).toBe(true);
        if (/adequate permissions/i.test(text)) expect(verdict.error.code).toBe('AUTOTASK_PERMISSION');
        if (/Zone information|IntegrationCode is invalid/i.test(text)) expect(verdict.error.code).toBe('AUTOTASK_AUTH');
        break;
      }
      case 'webhook': {
        const event = webhookPayloadSchema.parse(json);
        const secret = 'contract-test-secret';
        // Autotask signs the raw body or its escaped form (docs/autotask-samples.md): both verify, a tampered one does not.
        expect(verifyHookSignature(secret, Buffer.from(raw), signHookBody(secret, raw)).ok).toBe(true);
        const escaped = verifyHookSignature(secret, Buffer.from(raw), signHookBody(secret, escapeAutotaskJson(raw)));
        expect(escaped.ok).toBe(true);
        expect(verifyHookSignature(secret, Buffer.from(raw.replace(String(event.Id), String(event.Id + 1))), signHookBody(secret, raw)).ok).toBe(false);
        expect(deliveryIdentity(event)).toContain(String(event.Id));
        break;
      }
      case 'itemId': expect(Number.isInteger(json.itemId)).toBe(true); break;
      case 'getNull': expect(json).toEqual({ item: null }); break;
      case 'count': expect(Number.isInteger(json.queryCount)).toBe(true); break;
      case 'zone': expect(zoneInformationSchema.parse(json).url).toMatch(/^https:\/\//); break;
      case 'threshold': thresholdInformationSchema.parse(json); break;
      case 'fields': for (const field of json.fields as unknown[]) fieldInformationSchema.parse(field); break;
      case 'request': expect(typeof json.id).toBe('number'); break;
    }
  });

  it('webhook events of one webhook share a Guid and are still distinct deliveries', () => {
    const events = files.filter((f) => classify(f)?.kind === 'webhook').map((f) => webhookPayloadSchema.parse(JSON.parse(readFileSync(f, 'utf8'))));
    const byGuid = new Map<string, number>();
    for (const e of events) byGuid.set(e.Guid ?? '', (byGuid.get(e.Guid ?? '') ?? 0) + 1);
    expect([...byGuid.values()].some((n) => n > 1)).toBe(true);
    expect(new Set(events.map(deliveryIdentity)).size).toBe(events.length);
  });

  it('groups every sampled billing item: invoiceID 0 is open, totals agree with the lines, a differing totalAmount is named', () => {
    const items = files.filter((f) => /billingitem/i.test(basename(f)))
      .flatMap((f) => validateRecords('BillingItems', (JSON.parse(readFileSync(f, 'utf8')) as { items: unknown[] }).items));
    expect(items.length).toBeGreaterThan(0);
    const result = groupInvoices({ items, contracts: [] });
    const open = items.filter((i) => !isInvoiced(i) && i.webServiceDate === null && i.postedDate !== null);
    expect(result.invoices.flatMap((d) => d.items).length).toBe(open.length);
    for (const doc of result.invoices) {
      const lines = doc.items.reduce((s, l) => s + Math.round(l.totalAmount * 10_000), 0);
      expect(Math.abs(lines / 10_000 - doc.total)).toBeLessThan(0.005 + 1e-9);
    }
    const differing = open.filter((i) => Math.round((i.extendedPrice ?? 0) * 1e4) + Math.round((i.taxDollars ?? 0) * 1e4) !== Math.round((i.totalAmount ?? 0) * 1e4));
    const named = result.warnings.filter((w) => w.code === 'TOTAL_AMOUNT_DIFFERS').flatMap((w) => w.billingItemIDs);
    expect(named.sort()).toEqual(differing.map((i) => i.id).sort());
  });
});
