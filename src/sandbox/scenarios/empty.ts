/** Scenario `empty`: only the owner company, the API user and the technicians with their roles. */
import type { TenantData } from '../types.js';
import { API_USER_RESOURCE_ID, baseRecords } from './base.js';

export function emptyTenant(apiUserName = 'api@sandbox.local'): TenantData {
  return { records: baseRecords(apiUserName), apiUserResourceId: API_USER_RESOURCE_ID };
}
