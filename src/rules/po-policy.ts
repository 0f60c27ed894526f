/**
 * Plans which contracts get which purchase order number. Autotask copies a contract's `purchaseOrderNumber` onto
 * each billing item at posting and makes one invoice per PO number (docs/autotask-api.md#billing-items, #invoices), so a
 * right PO on the contract is what makes Autotask's own invoicing split correctly. The plan is PATCHed by the job;
 * this rule only decides, and gives a reason for every contract.
 */
import { parseUtc } from '../lib/time.js';
import type { ContractLike } from './invoice-types.js';
import { agreementGroupKey, agreementValue, type AgreementKeySpec } from './po-agreement.js';
import { compilePoRules, firstMatchingRule, type CompiledPoRule, type PoRule } from './po-rules.js';
import { renderPoTemplate, templateNamesContract, withSuffix } from './po-template.js';
import { normalizePo } from './purchase-order.js';

export type { AgreementKeySpec } from './po-agreement.js';
export type { PoRule, PoRuleMatch } from './po-rules.js';

/** Contract status 1 = active (docs/autotask-api.md#contracts). */
const ACTIVE_STATUS = 1;
/**
 * A contract that ended more than this many days before `now` is left alone: its last items are normally approved
 * and posted within the following billing cycle, and every PATCH costs from the tenant's hourly budget
 * (docs/autotask-api.md#request-threshold: 10,000 requests per hour shared by all integrations).
 */
export const ENDED_CONTRACT_GRACE_DAYS = 92;
const DAY_MS = 86_400_000;

export interface PoUpdate {
  contractID: number;
  /** The contract's current value as Autotask has it (null when none). */
  from: string | null;
  to: string;
  rule: string;
  reason: string;
}

export type PoDecisionAction = 'update' | 'keep' | 'skip';
export interface PoDecision {
  contractID: number;
  action: PoDecisionAction;
  rule: string | null;
  reason: string;
}

export type PoWarningCode = 'INVALID_RULE_PATTERN' | 'AGREEMENT_PO_CONFLICT' | 'TEMPLATE_UNKNOWN_PLACEHOLDER'
  | 'TEMPLATE_VALUE_MISSING' | 'TEMPLATE_EMPTY' | 'PO_TRUNCATED' | 'PO_COLLISION';
export interface PoWarning {
  code: PoWarningCode;
  message: string;
  rule: string | null;
  contractIDs: number[];
}

export interface PlanPurchaseOrdersInput {
  contracts: readonly ContractLike[];
  rules: readonly PoRule[];
  agreementKey?: AgreementKeySpec | null;
  now: Date;
}

export interface PoPlan {
  updates: PoUpdate[];
  /** One decision per contract, ascending by contract id: what happens and why. */
  decisions: PoDecision[];
  warnings: PoWarning[];
}

interface Candidate {
  contract: ContractLike;
  rule: CompiledPoRule;
  existing: string | null;
}

interface Agreement {
  key: string;
  companyID: number;
  value: string | null;
  /** PO numbers this agreement already has that stay (no rule overwrites them), with their contract ids. */
  kept: Map<string, number[]>;
  candidates: Candidate[];
}

/** One agreement's planned PO number, before collisions with other agreements of the company are resolved. */
interface Planned {
  agreement: Agreement;
  target: string;
  why: string;
  /** Filled from a template that names the contract, so not meant to be shared with another agreement. */
  generated: boolean;
  /** The contract the template was filled from; its id is the stable suffix when the number collides. */
  firstID: number;
  refused?: boolean;
}

const TEMPLATE_CODES = {
  'unknown-placeholder': 'TEMPLATE_UNKNOWN_PLACEHOLDER',
  'missing-value': 'TEMPLATE_VALUE_MISSING',
  empty: 'TEMPLATE_EMPTY',
} as const;

function safeTime(value: string): number | null {
  try {
    return parseUtc(value).getTime();
  } catch {
    return null;
  }
}

function inactiveReason(contract: ContractLike, now: Date): string | null {
  if (contract.status !== null && contract.status !== undefined && contract.status !== ACTIVE_STATUS) {
    return `contract is not active (status ${contract.status})`;
  }
  const end = contract.endDate ? safeTime(contract.endDate) : null;
  if (end !== null && contract.endDate) {
    if (end < now.getTime() - ENDED_CONTRACT_GRACE_DAYS * DAY_MS) {
      return `contract ended ${contract.endDate.slice(0, 10)}, more than ${ENDED_CONTRACT_GRACE_DAYS} days ago`;
    }
  }
  return null;
}

function byStartThenId(a: Candidate, b: Candidate): number {
  const sa = a.contract.startDate ?? '\uffff';
  const sb = b.contract.startDate ?? '\uffff';
  if (sa !== sb) return sa < sb ? -1 : 1;
  return a.contract.id - b.contract.id;
}

const holderKey = (companyID: number, po: string): string => `${companyID}\u0000${po}`;

/** Contract ids that carry or would get `po` in the company, other than those of agreement `own`. */
function holderContracts(agreements: Map<string, Agreement>, planned: readonly Planned[], companyID: number, po: string,
  own: string): number[] {
  const ids: number[] = [];
  for (const a of agreements.values()) {
    if (a.companyID === companyID && a.key !== own) ids.push(...(a.kept.get(po) ?? []));
  }
  for (const p of planned) {
    if (p.agreement.companyID === companyID && p.agreement.key !== own && p.target === po && !p.refused) {
      ids.push(...p.agreement.candidates.map((c) => c.contract.id));
    }
  }
  return ids;
}

/**
 * Autotask makes one invoice per company + PO number (docs/autotask-api.md#invoices), so a number a template meant
 * for one agreement ("{contractName}") that another agreement of the company also carries or gets — typically two
 * long names cut at 50 characters — would merge two agreements onto one invoice. Each such agreement gets "-<id of
 * the contract the template was filled from>" appended, within 50 characters: stable across runs, and a person can
 * tell which contract it is. A contract that already carries the plain number keeps it (we never overwrite without
 * the rule saying so). If even the suffixed number is taken, the agreement is refused with a warning.
 */
function resolveCollisions(planned: Planned[], agreements: Map<string, Agreement>, warnings: PoWarning[],
  decisions: Map<number, PoDecision>): void {
  const taken = new Map<string, Set<string>>();
  const hold = (companyID: number, po: string, key: string): void => {
    const k = holderKey(companyID, po);
    const set = taken.get(k) ?? new Set<string>();
    set.add(key);
    taken.set(k, set);
  };
  for (const a of agreements.values()) for (const po of a.kept.keys()) hold(a.companyID, po, a.key);
  for (const p of planned) hold(p.agreement.companyID, p.target, p.agreement.key);
  const clashes = (p: Planned, po: string): boolean =>
    [...(taken.get(holderKey(p.agreement.companyID, po)) ?? [])].some((key) => key !== p.agreement.key);
  const clashing = planned.filter((p) => p.generated && clashes(p, p.target)).sort((a, b) =>
    a.agreement.companyID - b.agreement.companyID || (a.target < b.target ? -1 : a.target > b.target ? 1 : a.firstID - b.firstID));
  const others = new Map(clashing.map((p) => [p, holderContracts(agreements, planned, p.agreement.companyID, p.target,
    p.agreement.key)]));
  const reported = new Set<string>();
  for (const p of clashing) {
    const ids = p.agreement.candidates.map((c) => c.contract.id);
    const plain = p.target;
    const rule = p.agreement.candidates[0]?.rule.rule.name ?? null;
    const next = withSuffix(plain, `-${p.firstID}`);
    const sharers = [...new Set([...ids, ...(others.get(p) ?? [])])].sort((a, b) => a - b);
    const k = holderKey(p.agreement.companyID, plain);
    if (clashes(p, next)) {
      p.refused = true;
      warnings.push({ code: 'PO_COLLISION', rule, contractIDs: sharers,
        message: `PO "${plain}" and "${next}" are both taken in company ${p.agreement.companyID}; contracts `
          + `${ids.join(', ')} left without a generated PO rather than share an invoice with another agreement` });
      for (const c of p.agreement.candidates) {
        decisions.set(c.contract.id, { contractID: c.contract.id, action: 'skip', rule: c.rule.rule.name,
          reason: `generated PO "${plain}" and its suffixed form "${next}" are taken by other contracts of the company` });
      }
      continue;
    }
    if (!reported.has(k)) {
      reported.add(k);
      warnings.push({ code: 'PO_COLLISION', rule, contractIDs: sharers,
        message: `contracts ${sharers.join(', ')} of company ${p.agreement.companyID} would share PO "${plain}" though `
          + 'the template names each contract (Autotask would put them on one invoice); the generated ones get their '
          + 'contract id appended' });
    }
    hold(p.agreement.companyID, next, p.agreement.key);
    p.target = next;
    p.why = `${p.why}; "${plain}" is taken by another contract of the company, so contract id ${p.firstID} is appended`;
  }
}

/** Plans PO numbers for contracts. Pure and deterministic: the input order does not matter. */
export function planPurchaseOrders(input: PlanPurchaseOrdersInput): PoPlan {
  const compiled = compilePoRules(input.rules);
  const warnings: PoWarning[] = [];
  for (const c of compiled) {
    if (c.error !== null) {
      warnings.push({ code: 'INVALID_RULE_PATTERN', rule: c.rule.name, contractIDs: [],
        message: `rule "${c.rule.name}": name pattern does not compile (${c.error}); the rule never matches` });
    }
  }
  const decisions = new Map<number, PoDecision>();
  const agreements = new Map<string, Agreement>();
  const contracts = [...input.contracts].sort((a, b) => a.id - b.id);

  for (const contract of contracts) {
    const decide = (action: PoDecisionAction, rule: string | null, reason: string): void => {
      decisions.set(contract.id, { contractID: contract.id, action, rule, reason });
    };
    const inactive = inactiveReason(contract, input.now);
    if (inactive !== null) {
      decide('skip', null, inactive);
      continue;
    }
    const value = agreementValue(contract, input.agreementKey);
    const key = agreementGroupKey(contract, value);
    let agreement = agreements.get(key);
    if (agreement === undefined) {
      agreement = { key, companyID: contract.companyID, value, kept: new Map(), candidates: [] };
      agreements.set(key, agreement);
    }
    const existing = normalizePo(contract.purchaseOrderNumber);
    const rule = firstMatchingRule(compiled, contract);
    if (existing !== null && !(rule?.rule.overwrite ?? false)) {
      const ids = agreement.kept.get(existing) ?? [];
      ids.push(contract.id);
      agreement.kept.set(existing, ids);
      decide('keep', rule?.rule.name ?? null, rule === null
        ? `has PO "${existing}"; no rule matches`
        : `has PO "${existing}"; rule "${rule.rule.name}" does not overwrite existing numbers`);
      continue;
    }
    if (rule === null) {
      decide('keep', null, 'no PO and no rule matches');
      continue;
    }
    agreement.candidates.push({ contract, rule, existing });
  }

  const planned: Planned[] = [];
  for (const agreement of agreements.values()) {
    if (agreement.candidates.length === 0) continue;
    const ids = agreement.candidates.map((c) => c.contract.id);
    const label = agreement.value === null ? '' : `agreement "${agreement.value}": `;
    const decideAll = (action: PoDecisionAction, reason: string): void => {
      for (const c of agreement.candidates) {
        decisions.set(c.contract.id, { contractID: c.contract.id, action, rule: c.rule.rule.name, reason });
      }
    };
    let target: string;
    let why: string;
    let generated = false;
    let firstID = ids[0] as number;
    if (agreement.kept.size > 1) {
      const numbers = [...agreement.kept.keys()].sort();
      const holders = [...agreement.kept.values()].flat().sort((a, b) => a - b);
      warnings.push({ code: 'AGREEMENT_PO_CONFLICT', rule: null, contractIDs: [...holders, ...ids].sort((a, b) => a - b),
        message: `${label}contracts already carry different PO numbers (${numbers.map((n) => `"${n}"`).join(', ')}); `
          + 'not guessing which one the others should get' });
      decideAll('skip', `${label}conflicting PO numbers ${numbers.map((n) => `"${n}"`).join(', ')} in the agreement`);
      continue;
    }
    const [kept] = [...agreement.kept.entries()];
    if (kept !== undefined) {
      target = kept[0];
      why = `${label}contract ${kept[1][0]} of the same agreement already has PO "${target}"`;
    } else {
      const first = [...agreement.candidates].sort(byStartThenId)[0] as Candidate;
      const rendered = renderPoTemplate(first.rule.rule.template, first.contract, agreement.value);
      if (!rendered.ok) {
        warnings.push({ code: TEMPLATE_CODES[rendered.problem], rule: first.rule.rule.name, contractIDs: ids,
          message: `rule "${first.rule.rule.name}": template "${first.rule.rule.template}" cannot be filled for contract `
            + `${first.contract.id} (${rendered.problem} ${rendered.detail})` });
        decideAll('skip', `template of rule "${first.rule.rule.name}" cannot be filled (${rendered.problem} ${rendered.detail})`);
        continue;
      }
      if (rendered.truncatedFrom !== null) {
        warnings.push({ code: 'PO_TRUNCATED', rule: first.rule.rule.name, contractIDs: ids,
          message: `"${rendered.truncatedFrom}" is longer than 50 characters; cut to "${rendered.value}"` });
      }
      target = rendered.value;
      generated = templateNamesContract(first.rule.rule.template);
      firstID = first.contract.id;
      why = agreement.candidates.length > 1 || agreement.value !== null
        ? `${label}rule "${first.rule.rule.name}" filled from contract ${first.contract.id}`
        : `rule "${first.rule.rule.name}" template "${first.rule.rule.template}"`;
    }
    planned.push({ agreement, target, why, generated, firstID });
  }

  resolveCollisions(planned, agreements, warnings, decisions);

  const updates: PoUpdate[] = [];
  for (const { agreement, target, why, refused } of planned) {
    if (refused) continue;
    for (const c of agreement.candidates) {
      const name = c.rule.rule.name;
      if (c.existing === target) {
        decisions.set(c.contract.id, { contractID: c.contract.id, action: 'keep', rule: name,
          reason: `already has PO "${target}"` });
        continue;
      }
      const reason = c.existing === null ? `no PO; ${why}` : `rule "${name}" overwrites "${c.existing}"; ${why}`;
      updates.push({ contractID: c.contract.id, from: c.contract.purchaseOrderNumber ?? null, to: target, rule: name, reason });
      decisions.set(c.contract.id, { contractID: c.contract.id, action: 'update', rule: name, reason });
    }
  }

  updates.sort((a, b) => a.contractID - b.contractID);
  warnings.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : (a.contractIDs[0] ?? 0) - (b.contractIDs[0] ?? 0)));
  return { updates, decisions: [...decisions.values()].sort((a, b) => a.contractID - b.contractID), warnings };
}

