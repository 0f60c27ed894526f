import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/index.js';
import { entityInformationSchema, fieldInformationSchema } from '../../../src/autotask/schemas/index.js';
import { client } from './helpers.js';

type Field = { name: string; isPickList: boolean; isReadOnly: boolean; isQueryable: boolean; isRequired: boolean;
  picklistValues: Array<{ value: unknown; label: string; isActive: boolean; parentValue: unknown }> | null };

describe('sandbox metadata (docs/autotask-api.md#metadata)', () => {
  let sandbox: SandboxHandle;
  let api: ReturnType<typeof client>;
  beforeAll(async () => { sandbox = await startSandbox({ scenario: 'empty' }); api = client(sandbox); });
  afterAll(async () => { await sandbox.close(); });

  const fields = async (entity: string): Promise<Field[]> => (await api.get<{ fields: Field[] }>(`${entity}/entityInformation/fields`)).json.fields;

  it('reports what each entity allows', async () => {
    const info = async (entity: string) => (await api.get<{ info: unknown }>(`${entity}/entityInformation`)).json.info;
    expect(entityInformationSchema.parse(await info('Invoices'))).toMatchObject({ canCreate: false, canUpdate: true, canQuery: true, canDelete: false });
    expect(entityInformationSchema.parse(await info('BillingItems'))).toMatchObject({ canCreate: false, canUpdate: true });
    expect(entityInformationSchema.parse(await info('Tickets'))).toMatchObject({ canCreate: true, canDelete: false, supportsWebhookCallouts: true });
    expect(entityInformationSchema.parse(await info('TimeEntries'))).toMatchObject({ canDelete: true, supportsWebhookCallouts: false });
    expect(entityInformationSchema.parse(await info('Contracts'))).toMatchObject({ supportsWebhookCallouts: false });
  });

  it('serves picklists with string values and tenant-specific ids, keeping the system values', async () => {
    const ticketFields = await fields('Tickets');
    for (const f of ticketFields) fieldInformationSchema.parse(f);
    const pick = (name: string) => ticketFields.find((f) => f.name === name)?.picklistValues ?? [];
    for (const value of pick('status')) expect(typeof value.value).toBe('string');
    const byLabel = (name: string) => Object.fromEntries(pick(name).map((v) => [v.label, v.value]));
    expect(byLabel('ticketType')).toMatchObject({ 'Service Request': '1', Incident: '2', Problem: '3', 'Change Request': '4', Alert: '5' });
    expect(byLabel('status')).toMatchObject({ New: '1', Complete: '5' });
    expect(byLabel('source')['Monitoring Alert']).toBe('8');
    const priorities = pick('priority').map((v) => Number(v.value));
    expect(priorities).not.toEqual(priorities.map((_, i) => i + 1));
    expect(pick('priority').some((v) => !v.isActive)).toBe(true);
    const queues = pick('queueID').map((v) => Number(v.value));
    expect(Math.min(...queues)).toBeGreaterThan(1000);
    expect(pick('subIssueType').every((v) => typeof v.parentValue === 'string' && v.parentValue !== '')).toBe(true);
  });

  it('marks read-only, required and non-queryable fields', async () => {
    const ticketFields = await fields('Tickets');
    const field = (name: string) => ticketFields.find((f) => f.name === name);
    expect(field('ticketNumber')?.isReadOnly).toBe(true);
    expect(field('title')?.isRequired).toBe(true);
    expect(field('creatorType')?.isQueryable).toBe(false);
    expect(field('problemTicketId')).toBeDefined();
    const billing = await fields('BillingItems');
    expect(billing.filter((f) => !f.isReadOnly).map((f) => f.name)).toEqual(['webServiceDate']);
    expect(billing.find((f) => f.name === 'lineItemGroupDescription')?.isQueryable).toBe(false);
  });
});
