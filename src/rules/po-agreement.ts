/**
 * Which signed agreement a contract belongs to, so that all its contracts carry one PO number (Autotask makes one
 * invoice per PO number — docs/autotask-api.md#invoices — so one number per agreement means one invoice per agreement).
 * Mirrors `invoices.poPolicy.agreementKey` of config/sections/invoices.ts.
 */
import type { ContractLike } from './invoice-types.js';

export type AgreementKeySpec =
  | { kind: 'contractNumberPrefix'; separator: string }
  | { kind: 'udf'; name: string };

function udfValue(contract: ContractLike, name: string): string | null {
  const wanted = name.toLowerCase();
  // docs/autotask-api.md#query-filters: property and field names are case-insensitive, so the UDF name is matched that way too.
  const field = contract.userDefinedFields?.find((f) => (f.name ?? '').toLowerCase() === wanted);
  if (field === undefined || field.value === null || field.value === undefined) return null;
  const text = String(field.value).trim();
  return text === '' ? null : text;
}

/**
 * The agreement's id as people see it (the {agreement} placeholder), or null when the contract names none.
 * For a prefix key, a contract number without the separator is the agreement's first contract ("ACME" and
 * "ACME-2" share "ACME").
 */
export function agreementValue(contract: ContractLike, spec: AgreementKeySpec | null | undefined): string | null {
  if (!spec) return null;
  if (spec.kind === 'udf') return udfValue(contract, spec.name);
  const number = contract.contractNumber?.trim();
  if (!number) return null;
  const at = number.indexOf(spec.separator);
  const prefix = (at < 0 ? number : number.slice(0, at)).trim();
  return prefix === '' ? null : prefix;
}

/**
 * The grouping key: the agreement value within the contract's company (an agreement is signed by one customer,
 * and a short prefix such as "2026" must not tie two customers together). Contracts without an agreement
 * value are an agreement of their own.
 */
export function agreementGroupKey(contract: ContractLike, value: string | null): string {
  return value === null ? `contract\u0000${contract.id}` : `company\u0000${contract.companyID}\u0000${value}`;
}
