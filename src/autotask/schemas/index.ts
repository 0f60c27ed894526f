import type { z } from 'zod';
import { billingItemSchema } from './billing-items.js';
import { companySchema } from './companies.js';
import { configurationItemSchema } from './configuration-items.js';
import { contractSchema } from './contracts.js';
import { currencySchema } from './currencies.js';
import { invoiceSchema } from './invoices.js';
import { resourceSchema } from './resources.js';
import { ticketNoteSchema, ticketSchema } from './tickets.js';
import { timeEntrySchema } from './time-entries.js';
import type { EntityName } from './common.js';

export * from './common.js';
export * from './billing-items.js';
export * from './companies.js';
export * from './configuration-items.js';
export * from './contracts.js';
export * from './currencies.js';
export * from './invoices.js';
export * from './resources.js';
export * from './tickets.js';
export * from './time-entries.js';
export * from './metadata.js';

/** Entity name → record schema. The client validates every record it returns with these. */
export const entitySchemas = {
  Companies: companySchema,
  Contracts: contractSchema,
  BillingItems: billingItemSchema,
  Invoices: invoiceSchema,
  Tickets: ticketSchema,
  TimeEntries: timeEntrySchema,
  ConfigurationItems: configurationItemSchema,
  Resources: resourceSchema,
  TicketNotes: ticketNoteSchema,
  Currencies: currencySchema,
} as const satisfies Record<EntityName, z.ZodType>;

export type EntityRecord<E extends EntityName> = z.output<(typeof entitySchemas)[E]>;
