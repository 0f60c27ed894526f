/** Fixed ids and names of the demo tenant's stories, so DEMO_FACTS does not depend on "now" or the seed. */
export const DEMO_COMPANY = { northwind: 174, contoso: 203, fabrikam: 311, tailspin: 412 } as const;

export const DEMO_CONTRACT = {
  northwindManaged: 29684012, northwindBlockHours: 29684013, northwindUpgrade: 29684019,
  contosoManaged: 29684021, contosoAdHoc: 29684024, fabrikamManaged: 29684030, fabrikamOverage: 29684033,
  tailspinPerTicket: 29684040,
} as const;

export const DEMO_PO = { northwindShared: 'NW-PO-4471', northwindUpgrade: 'NW-PO-4502', fabrikamManaged: 'FAB-2026-077',
  fabrikamOverage: 'FAB-OVR-12', tailspin: 'TS-118' } as const;

export const DEMO_CI = {
  northwindDc: 29690011, northwindApp: 29690012, northwindWs142: 29690013, contosoWs107: 29690021,
  contosoDc: 29690022, fabrikamBackupJob: 29690031, fabrikamNas: 29690032, fabrikamRouter: 29690033,
  tailspinFirewall: 29690041, tailspinUps: 29690042,
} as const;

export const DEMO_INVOICE = { northwindLastMonth: 5301, tailspinLastMonth: 5302 } as const;

const DAY_MS = 86_400_000;

/** A UTC instant `dayOffset` days from now's date at hh:mm, never later than now minus an hour. */
export function dayAt(now: Date, dayOffset: number, hour: number, minute = 0): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const at = midnight + dayOffset * DAY_MS + hour * 3_600_000 + minute * 60_000;
  return new Date(Math.min(at, now.getTime() - 3_600_000));
}

export const iso = (date: Date): string => date.toISOString();
export const addMinutes = (date: Date, minutes: number): Date => new Date(date.getTime() + minutes * 60_000);

/** Whole days between now's date and the date's date (UTC), independent of the time of day. */
export function dayOffsetOf(now: Date, date: Date): number {
  const day = (d: Date): number => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return Math.round((day(date) - day(now)) / DAY_MS);
}
