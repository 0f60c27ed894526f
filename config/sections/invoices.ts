import { z } from 'zod';
import { PO_PLACEHOLDERS } from '../../src/rules/po-template.js';

/**
 * A template typo (`{contractNam}`) would pass the schema and then refuse every contract at run time: the
 * placeholders are checked here, at load, naming the bad one and the known ones.
 */
function templateProblems(template: string): string[] {
  const problems: string[] = [];
  const withoutPlaceholders = template.replace(/\{([^{}]*)\}/g, (_whole, raw: string) => {
    const name = raw.trim();
    if (!(PO_PLACEHOLDERS as readonly string[]).includes(name)) {
      problems.push(`unknown placeholder {${raw}} (known: ${PO_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')})`);
    }
    return '';
  });
  if (/[{}]/.test(withoutPlaceholders)) problems.push('a "{" or "}" without its partner');
  return problems;
}

const ids = (what: string) => z.array(z.number().int()).optional().describe(`match contracts whose ${what} is one of these`);

const poRule = z.strictObject({
  name: z.string().min(1).describe('rule name, shown in job results and warnings'),
  match: z.strictObject({
    contractType: ids('contractType'),
    contractCategory: ids('contractCategory'),
    companyID: ids('companyID'),
    namePattern: z.string().min(1).refine((p) => { try { new RegExp(p, 'i'); return true; } catch { return false; } },
      'not a valid regular expression').optional().describe('regular expression tested against the contract name (case-insensitive)'),
  }).prefault({}),
  template: z.string().min(1).max(200)
    .superRefine((template, ctx) => { for (const message of templateProblems(template)) ctx.addIssue({ code: 'custom', message }); })
    .describe('PO number template: {contractName} {contractNumber} {contractID} {companyID} {startMonth} (YYYY-MM) {startYear} {agreement}; at most 50 characters once filled'),
  overwrite: z.boolean().default(false).describe('replace a PO number the contract already has (off: people\'s numbers are never overwritten)'),
});

const agreementKey = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('contractNumberPrefix'),
    separator: z.string().min(1).max(5).default('-').describe('contracts whose numbers share the part before this separator are one agreement') }),
  z.strictObject({ kind: z.literal('udf'), name: z.string().min(1).describe('user-defined field of the contract holding the agreement id') }),
]);

export const invoicesSection = z.strictObject({
  poPolicy: z.strictObject({
    rules: z.array(poRule).default([]).describe('rules giving contracts without a PO number one; the first matching rule wins'),
    agreementKey: agreementKey.nullable().default(null).describe('how contracts of one signed agreement are recognised, so they all get the same number: {"kind":"contractNumberPrefix","separator":"-"} or {"kind":"udf","name":"<field>"}'),
  }).superRefine((policy, ctx) => {
    // {agreement} has a value only when agreementKey says how agreements are recognised.
    policy.rules.forEach((rule, index) => {
      if (policy.agreementKey === null && /\{\s*agreement\s*\}/.test(rule.template)) {
        ctx.addIssue({ code: 'custom', path: ['rules', index, 'template'], message: '{agreement} needs invoices.poPolicy.agreementKey' });
      }
    });
  }).prefault({}),
  fileSink: z.boolean().default(true).describe('deliver each invoice as a JSON file to INVOICE_OUTPUT_DIR (the HTTP sink is on when INVOICE_WEBHOOK_URL is set)'),
  markExported: z.boolean().default(true).describe('after a confirmed delivery, set webServiceDate on each billing item (Autotask\'s "exported" mark)'),
  requireApproval: z.boolean().default(false).describe('build-invoices only builds drafts; each is delivered and its items marked only after a person approves that exact version (console Invoices page or `autotask-sync invoices approve`)'),
  currencyDecimals: z.number().int().min(0).max(4).default(2).describe('decimals of the invoice currency; line amounts and taxes are rounded to it and summed into the totals'),
  httpSink: z.strictObject({
    timeoutMs: z.number().int().min(1_000).max(300_000).default(15_000).describe('timeout of one delivery attempt'),
    retries: z.number().int().min(0).max(10).default(5).describe('retries after the first attempt (network errors, 408, 429, 5xx)'),
  }).prefault({}),
}).prefault({});
