/**
 * Which PO-policy rule applies to a contract. The rule shape mirrors `invoices.poPolicy.rules` of
 * config/sections/invoices.ts structurally (rules may not import config): the validated config fits as is.
 */
import type { ContractLike } from './invoice-types.js';

export interface PoRuleMatch {
  contractType?: readonly number[] | undefined;
  contractCategory?: readonly number[] | undefined;
  companyID?: readonly number[] | undefined;
  /** A regular expression tested against the contract name, case-insensitive. */
  namePattern?: string | undefined;
}

export interface PoRule {
  name: string;
  match: PoRuleMatch;
  /** Placeholders: {contractName} {contractNumber} {contractID} {companyID} {startMonth} {startYear} {agreement}. */
  template: string;
  /** Replace a PO number the contract already has (people's numbers are kept unless a rule says so). */
  overwrite?: boolean | undefined;
}

export interface CompiledPoRule {
  rule: PoRule;
  /** Null when the rule has no name pattern. */
  pattern: RegExp | null;
  /** Set when the name pattern does not compile; such a rule never matches. */
  error: string | null;
}

export function compilePoRules(rules: readonly PoRule[]): CompiledPoRule[] {
  return rules.map((rule) => {
    if (rule.match.namePattern === undefined) return { rule, pattern: null, error: null };
    try {
      return { rule, pattern: new RegExp(rule.match.namePattern, 'i'), error: null };
    } catch (error) {
      return { rule, pattern: null, error: error instanceof Error ? error.message : String(error) };
    }
  });
}

function listAllows(list: readonly number[] | undefined, value: number | null | undefined): boolean {
  if (list === undefined) return true;
  return value !== null && value !== undefined && list.includes(value);
}

/** True when every condition the rule sets holds for the contract; a rule without conditions matches all. */
export function ruleMatches(compiled: CompiledPoRule, contract: ContractLike): boolean {
  if (compiled.error !== null) return false;
  const { match } = compiled.rule;
  if (!listAllows(match.contractType, contract.contractType)) return false;
  if (!listAllows(match.contractCategory, contract.contractCategory)) return false;
  if (!listAllows(match.companyID, contract.companyID)) return false;
  if (compiled.pattern !== null && !compiled.pattern.test(contract.contractName ?? '')) return false;
  return true;
}

/** The first rule that matches: the order of the config is the priority. */
export function firstMatchingRule(compiled: readonly CompiledPoRule[], contract: ContractLike): CompiledPoRule | null {
  for (const candidate of compiled) if (ruleMatches(candidate, contract)) return candidate;
  return null;
}
