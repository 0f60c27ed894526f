/**
 * Issue 16 item 6: the Problem template takes any writable Tickets field (some tenants' ticket categories require
 * issue type, sub-issue type, source…), checked against the tenant's field metadata and picklists before any
 * write; a bad one fails the job naming the setting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../config/load.js';
import { detectProblemsJob } from '../../../jobs/detect-problems.js';
import { syncTicketsJob } from '../../../jobs/sync-tickets.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
let open: Harness | undefined;
afterEach(async () => { await open?.close(); open = undefined; });

const problems = (harness: Harness) => harness.sandbox.data.all('Tickets').filter((t) => t.ticketType === 3);
const creates = (harness: Harness) => harness.sandbox.requestLog.filter((r) => r.method === 'POST' && r.entity === 'Tickets' && !r.path.includes('/query'));

describe('detection.problem.fields', () => {
  it('sets the extra fields on a new Problem', async () => {
    h = open = await startHarness({ file: { detection: { problem: { fields: { issueType: 7, subIssueType: 145, source: 4, estimatedHours: 2 } } } } });
    await h.run(syncTicketsJob);
    const before = problems(h).map((t) => t.id);
    await h.run(detectProblemsJob);
    const created = problems(h).filter((t) => !before.includes(t.id));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ issueType: 7, subIssueType: 145, source: 4, estimatedHours: 2, ticketType: 3 });
  });

  it.each([
    [{ issueTyp: 7 }, /detection\.problem\.fields\.issueTyp: this tenant's Tickets have no field "issueTyp"/],
    [{ ticketNumber: 'T1' }, /detection\.problem\.fields\.ticketNumber: Tickets\.ticketNumber is read-only/],
    [{ issueType: 999 }, /detection\.problem\.fields\.issueType: 999 is not an active Tickets\.issueType/],
    [{ estimatedHours: 'two' }, /detection\.problem\.fields\.estimatedHours: Tickets\.estimatedHours holds double/],
    // A sub-issue type belongs to one issue type (its picklist parentValue).
    [{ issueType: 12, subIssueType: 145 }, /detection\.problem\.fields\.subIssueType: 145 belongs to issueType 7, not to detection\.problem\.fields\.issueType = 12/],
    [{ subIssueType: 145 }, /detection\.problem\.fields\.subIssueType: 145 belongs to issueType 7; set detection\.problem\.fields\.issueType to 7 too/],
  ])('refuses %j before any write, naming the setting', async (fields, message) => {
    h = open = await startHarness({ file: { detection: { problem: { fields } } } });
    await h.run(syncTicketsJob);
    await expect(h.run(detectProblemsJob)).rejects.toThrow(message);
    expect(creates(h)).toEqual([]);
  });

  it('refuses, at config load, a template field the worker sets itself', () => {
    expect(() => loadConfig({ env: {}, file: { detection: { problem: { fields: { title: 'x' } } } } }))
      .toThrow(/detection\.problem\.fields: .*are set by the worker/);
  });
});
