/** Resolves the `scenario` option of startSandbox to a data set. */
import type { TenantData } from '../types.js';
import { buildDemoTenant } from './demo.js';
import { emptyTenant } from './empty.js';

export function resolveScenario(scenario: 'demo' | 'empty' | TenantData, options: { now: Date; apiUserName: string }): TenantData {
  if (scenario === 'demo') return buildDemoTenant(options).data;
  if (scenario === 'empty') return emptyTenant(options.apiUserName);
  return scenario;
}

export { buildDemoTenant, DEMO_FACTS, type DemoFacts, type DemoInvoiceGroup, type DemoTenant } from './demo.js';
export { emptyTenant } from './empty.js';
export { generateTenant, type GenerateOptions } from './generate.js';
