/** Issue 14 item 12: HTTP 200 with {"errors":[…]} is classified by its text and shows it, not "malformed answer". */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AutotaskPermissionError, AutotaskValidationError } from '../../../src/autotask/index.js';
import { client, ORIGIN } from './helpers.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => { nock.cleanAll(); });

describe('an HTTP 200 answer with an errors array', () => {
  it('a create refused with a validation text fails once, non-retryable, with Autotask\'s text', async () => {
    const scope = nock(ORIGIN).post('/ATServicesRest/V1.0/TimeEntries').once()
      .reply(200, { errors: ['Role is not valid for this ticket: assignedResourceRoleID'] });
    const error = await client().create('TimeEntries', { ticketID: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskValidationError);
    expect((error as Error).message).toContain('Role is not valid for this ticket: assignedResourceRoleID');
    expect((error as AutotaskValidationError).retryable).toBe(false);
    expect(scope.isDone()).toBe(true);
  });

  it('a query answered 200 with a permission text is a permission error, not a malformed answer', async () => {
    nock(ORIGIN).post('/ATServicesRest/V1.0/Tickets/query').reply(200, { errors: ['User does not have adequate permissions to query this entity.'] });
    const error = await (async () => { for await (const _ of client().query('Tickets', [{ op: 'gt', field: 'id', value: 0 }])) { /* none */ } })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AutotaskPermissionError);
    expect((error as Error).message).toContain('adequate permissions');
  });
});
