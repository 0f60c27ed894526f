/**
 * Renders a PO-policy template into a purchase order number Autotask accepts: at most 50 characters
 * (docs/autotask-api.md#contracts: purchaseOrderNumber string ≤ 50), no control characters, no surrounding whitespace.
 */
import { parseUtc } from '../lib/time.js';
import type { ContractLike } from './invoice-types.js';
import { PO_MAX_LENGTH } from './purchase-order.js';

export const PO_PLACEHOLDERS = ['contractName', 'contractNumber', 'contractID', 'companyID', 'startMonth', 'startYear',
  'agreement'] as const;
export type PoPlaceholder = (typeof PO_PLACEHOLDERS)[number];

export type TemplateResult =
  | { ok: true; value: string; truncatedFrom: string | null }
  | { ok: false; problem: 'unknown-placeholder' | 'missing-value' | 'empty'; detail: string };

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Control characters would be stored verbatim and break exports; runs of whitespace become one space. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ');
}

function startParts(contract: ContractLike): { month: string; year: string } | null {
  if (!contract.startDate) return null;
  try {
    const iso = parseUtc(contract.startDate).toISOString();
    return { month: iso.slice(0, 7), year: iso.slice(0, 4) };
  } catch {
    return null;
  }
}

function placeholderValue(name: PoPlaceholder, contract: ContractLike, agreement: string | null): string | null {
  switch (name) {
    case 'contractName': return contract.contractName?.trim() || null;
    case 'contractNumber': return contract.contractNumber?.trim() || null;
    case 'contractID': return String(contract.id);
    case 'companyID': return String(contract.companyID);
    case 'startMonth': return startParts(contract)?.month ?? null;
    case 'startYear': return startParts(contract)?.year ?? null;
    case 'agreement': return agreement;
  }
}

/** Cuts to at most `max` UTF-16 code units without splitting a surrogate pair, then trims the end. */
export function truncatePo(value: string, max = PO_MAX_LENGTH): string {
  if (value.length <= max) return value;
  let out = '';
  for (const ch of value) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out.trimEnd();
}

/**
 * Fills the template from the contract. A placeholder without a value (e.g. {contractNumber} of a contract that
 * has none) fails instead of producing a half number such as "PO--2026": a wrong PO splits invoices wrongly.
 */
export function renderPoTemplate(template: string, contract: ContractLike, agreement: string | null): TemplateResult {
  let failure: TemplateResult | null = null;
  const filled = template.replace(PLACEHOLDER, (whole, rawName: string) => {
    const name = rawName.trim();
    if (!(PO_PLACEHOLDERS as readonly string[]).includes(name)) {
      failure ??= { ok: false, problem: 'unknown-placeholder', detail: whole };
      return '';
    }
    const value = placeholderValue(name as PoPlaceholder, contract, agreement);
    if (value === null) {
      failure ??= { ok: false, problem: 'missing-value', detail: `{${name}}` };
      return '';
    }
    return value;
  });
  if (failure !== null) return failure;
  const cleaned = clean(filled).trim();
  if (cleaned === '') return { ok: false, problem: 'empty', detail: template };
  const value = truncatePo(cleaned);
  return { ok: true, value, truncatedFrom: value === cleaned ? null : cleaned };
}

/** Placeholders whose value differs from one agreement to the next; a template without any is meant to be shared. */
const DISTINCT_PLACEHOLDERS: readonly PoPlaceholder[] = ['contractName', 'contractNumber', 'contractID', 'agreement'];

/**
 * Whether the template means each agreement to have its own number ("{contractName}"), as opposed to one number many
 * contracts share on purpose ("PO-{companyID}-{startYear}").
 */
export function templateNamesContract(template: string): boolean {
  return [...template.matchAll(PLACEHOLDER)].some((m) => (DISTINCT_PLACEHOLDERS as readonly string[]).includes((m[1] ?? '').trim()));
}

/** The template's value with a short stable suffix, cut so the whole stays within Autotask's 50 characters. */
export function withSuffix(value: string, suffix: string, max = PO_MAX_LENGTH): string {
  return `${truncatePo(value, max - suffix.length)}${suffix}`;
}
