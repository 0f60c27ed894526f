/**
 * What every sandbox tenant has: the owner company (Autotask's company id 0), the API user, technicians with
 * roles (ResourceRoles) and one inactive technician. Ids look like a real tenant's (large, not 1..N).
 */
import { API_USER_LICENSE_TYPE } from '../picklists.js';
import type { SandboxRecord } from '../types.js';

export const OWNER_COMPANY_ID = 0;
export const API_USER_RESOURCE_ID = 29682885;

export const ROLE_IDS = { helpDesk: 29683461, systemsEngineer: 29683462, projectEngineer: 29683470, fieldTech: 29683475 } as const;
export const ROLE_RATES: Record<number, number> = {
  [ROLE_IDS.helpDesk]: 95, [ROLE_IDS.systemsEngineer]: 145, [ROLE_IDS.projectEngineer]: 165, [ROLE_IDS.fieldTech]: 110,
};

export interface Technician {
  resourceId: number;
  name: string;
  active: boolean;
  roleIds: number[];
  defaultRoleId: number;
}

export const TECHNICIANS: readonly Technician[] = [
  { resourceId: 29682901, name: 'Alex Rivera', active: true, roleIds: [ROLE_IDS.helpDesk, ROLE_IDS.fieldTech], defaultRoleId: ROLE_IDS.helpDesk },
  { resourceId: 29682914, name: 'Priya Shah', active: true, roleIds: [ROLE_IDS.systemsEngineer, ROLE_IDS.projectEngineer], defaultRoleId: ROLE_IDS.systemsEngineer },
  { resourceId: 29682927, name: 'Morgan Lee', active: true, roleIds: [ROLE_IDS.systemsEngineer, ROLE_IDS.helpDesk], defaultRoleId: ROLE_IDS.systemsEngineer },
  { resourceId: 29682940, name: 'Sam Okafor', active: false, roleIds: [ROLE_IDS.helpDesk], defaultRoleId: ROLE_IDS.helpDesk },
];

/** The sandbox MSP invoices in US dollars (its internal currency); one demo customer is billed in euros. */
export const CURRENCY_IDS = { usd: 1, eur: 2 } as const;

export function baseRecords(apiUserName: string): { Companies: SandboxRecord[]; Resources: SandboxRecord[]; Roles: SandboxRecord[];
  ResourceRoles: SandboxRecord[]; Currencies: SandboxRecord[] } {
  const Currencies: SandboxRecord[] = [
    { id: CURRENCY_IDS.usd, name: 'USD', description: 'US Dollar', exchangeRate: 1, isActive: true, isInternalCurrency: true },
    { id: CURRENCY_IDS.eur, name: 'EUR', description: 'Euro', exchangeRate: 0.92, isActive: true, isInternalCurrency: false },
  ];
  const Roles: SandboxRecord[] = [
    { id: ROLE_IDS.helpDesk, name: 'Help Desk Technician', description: 'Level I support', isActive: true, hourlyRate: 95 },
    { id: ROLE_IDS.systemsEngineer, name: 'Systems Engineer', description: 'Level II/III', isActive: true, hourlyRate: 145 },
    { id: ROLE_IDS.projectEngineer, name: 'Project Engineer', description: 'Projects', isActive: true, hourlyRate: 165 },
    { id: ROLE_IDS.fieldTech, name: 'Field Technician', description: 'On-site work', isActive: true, hourlyRate: 110 },
  ];
  const Resources: SandboxRecord[] = [
    { id: API_USER_RESOURCE_ID, firstName: 'API', lastName: 'Sandbox Integration', email: apiUserName, userName: apiUserName,
      isActive: true, licenseType: API_USER_LICENSE_TYPE, title: 'API User' },
    ...TECHNICIANS.map((t) => {
      const [firstName, lastName] = t.name.split(' ');
      const login = `${(firstName ?? '').toLowerCase()}.${(lastName ?? '').toLowerCase()}`;
      return { id: t.resourceId, firstName, lastName, email: `${login}@sandbox-msp.example`, userName: login,
        isActive: t.active, licenseType: 1, title: 'Technician', defaultServiceDeskRoleID: t.defaultRoleId };
    }),
  ];
  let rrId = 30010;
  const ResourceRoles: SandboxRecord[] = TECHNICIANS.flatMap((t) => t.roleIds.map((roleID) => {
    rrId += 3;
    return { id: rrId, resourceID: t.resourceId, roleID, isActive: true, queueID: null };
  }));
  const Companies: SandboxRecord[] = [{ id: OWNER_COMPANY_ID, companyName: 'Sandbox MSP Ltd', companyNumber: 'OWNER',
    companyType: 1, isActive: true, phone: '+1 555 0100', ownerResourceID: TECHNICIANS[0]?.resourceId ?? null, city: 'Springfield',
    createDate: '2019-03-01T09:00:00.000Z', lastActivityDate: '2019-03-01T09:00:00.000Z' }];
  return { Companies, Resources, Roles, ResourceRoles, Currencies };
}
