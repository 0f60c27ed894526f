/**
 * Exact money as integer counts of 1/10,000 of a currency unit ("units").
 *
 * Why this scale: Autotask's billing amounts (rate, extendedPrice, taxDollars, totalAmount — docs/autotask-api.md#billing-items
 * "BillingItems") carry at most 4 decimal places, so 1e-4 represents every amount it sends exactly; an amount
 * with more decimals is still accepted, rounded to 4 and flagged (`exact: false`) so the caller can warn. Why safe integers and not BigInt: a plain number is an exact integer up to 2^53
 * (9.007e15 units = 900 billion currency units, far beyond any invoice), adds without allocation, and lets the
 * grouping of a million billing items stay well within its time budget; every operation checks
 * `Number.isSafeInteger` and throws `MoneyOverflowError` instead of silently drifting past that bound.
 *
 * Why parsing a JS number is exact: the JSON number 0.1 arrives as the double nearest to 0.1. For a decimal d with
 * at most 4 decimals and |d| < 2^51 / 1e4, `x * 1e4` lies within 0.5 of the integer d·1e4, so `Math.round` recovers it
 * exactly; and `units / 1e4` is the correctly rounded double of d, i.e. exactly the number that was parsed — the
 * round-trip test below therefore proves "this number is a ≤4-decimal amount" without any string work.
 *
 * Documents show amounts in the currency's minor unit (cents): `roundToCurrency` rounds half away from zero
 * (commercial rounding, symmetric for credits and debits). Autotask's own rounding mode is not documented; only sums
 * that carry sub-cent digits are affected, and the grouping rule warns about those.
 */
import { AppError } from './errors.js';

/** Decimal places held exactly. */
export const MONEY_SCALE = 4;
/** 10^MONEY_SCALE: units per currency unit. */
export const UNITS_PER_CURRENCY_UNIT = 10_000;

/** An exact amount: an integer count of 1/10,000 currency units. */
export type MoneyUnits = number;

/** A sum or a parsed amount does not fit in a safe integer of units (|amount| ≥ ~900 billion). */
export class MoneyOverflowError extends AppError {
  constructor(what: string) {
    super('MONEY_OVERFLOW', `money amount out of the exact range: ${what}`);
  }
}

/** A value that is not an amount at all (NaN, Infinity, a malformed string). */
export class MoneyFormatError extends AppError {
  constructor(value: unknown) {
    super('MONEY_INVALID', `not a money amount: ${JSON.stringify(String(value)).slice(0, 40)}`);
  }
}

/** Largest magnitude (in currency units) for which number parsing is provably exact (see the file comment). */
const MAX_EXACT_PARSE = 2 ** 51 / UNITS_PER_CURRENCY_UNIT;

export interface ParsedMoney {
  units: MoneyUnits;
  /** False when the input had more than 4 decimals and was rounded (half away from zero) to 4. */
  exact: boolean;
}

/** Rounds half away from zero; `Math.round` rounds -2.5 to -2, which would make credits differ from debits. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/**
 * Parses an amount given as a JS number. Exact for every amount with ≤4 decimals; an amount with more decimals
 * is rounded half away from zero to 4 and reported with `exact: false`.
 */
export function parseMoneyNumber(value: number): ParsedMoney {
  if (!Number.isFinite(value)) throw new MoneyFormatError(value);
  if (Math.abs(value) >= MAX_EXACT_PARSE) throw new MoneyOverflowError(String(value));
  const units = roundHalfAway(value * UNITS_PER_CURRENCY_UNIT);
  // Division by 1e4 is correctly rounded, so it returns `value` itself exactly when value had ≤4 decimals.
  const exact = units / UNITS_PER_CURRENCY_UNIT === value;
  // `+ 0` turns -0 into 0 so that equal amounts are always ===.
  return { units: units + 0, exact };
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$/;

/** Parses a decimal string ("12.3456", "-0.1", "7") exactly; more than 4 decimals are rounded half away from zero. */
export function parseMoneyString(text: string): ParsedMoney {
  const match = DECIMAL.exec(text.trim());
  if (!match) throw new MoneyFormatError(text);
  const negative = match[1] === '-';
  const whole = match[2] ?? '0';
  const fraction = match[3] ?? '';
  const kept = (fraction + '0000').slice(0, MONEY_SCALE);
  const rest = fraction.slice(MONEY_SCALE);
  let magnitude = Number(whole) * UNITS_PER_CURRENCY_UNIT + Number(kept);
  if (rest.length > 0 && rest.charCodeAt(0) >= 53 /* '5' */) magnitude += 1;
  if (!Number.isSafeInteger(magnitude)) throw new MoneyOverflowError(text);
  return { units: negative && magnitude !== 0 ? -magnitude : magnitude, exact: !/[1-9]/.test(rest) };
}

/** Exact units of a number or decimal string; throws when it is not exactly representable at 4 decimals. */
export function toUnits(value: number | string): MoneyUnits {
  const parsed = typeof value === 'number' ? parseMoneyNumber(value) : parseMoneyString(value);
  if (!parsed.exact) throw new MoneyFormatError(value);
  return parsed.units;
}

/** a + b, exact, or MoneyOverflowError. */
export function addUnits(a: MoneyUnits, b: MoneyUnits): MoneyUnits {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) throw new MoneyOverflowError(`${a} + ${b} units`);
  return sum;
}

/** Σ values, exact. */
export function sumUnits(values: Iterable<MoneyUnits>): MoneyUnits {
  let total = 0;
  for (const v of values) total = addUnits(total, v);
  return total;
}

/** The units as a JS number of currency units with ≤4 decimals (the double nearest the exact decimal). */
export function unitsToNumber(units: MoneyUnits): number {
  return units / UNITS_PER_CURRENCY_UNIT + 0;
}

function currencyStep(decimals: number): number {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MONEY_SCALE) {
    throw new RangeError(`currency decimals must be an integer 0..${MONEY_SCALE}, got ${decimals}`);
  }
  return 10 ** (MONEY_SCALE - decimals);
}

/** Rounds units to the currency's minor unit (2 decimals = cents by default), half away from zero. Still in units. */
export function roundToCurrency(units: MoneyUnits, decimals = 2): MoneyUnits {
  const step = currencyStep(decimals);
  if (step === 1) return units;
  const magnitude = Math.abs(units);
  const remainder = magnitude % step;
  const down = magnitude - remainder;
  const rounded = remainder * 2 >= step ? down + step : down;
  return units < 0 ? -rounded : rounded;
}

/** The amount as a JS number rounded to the currency's minor unit: what an invoice document shows. */
export function unitsToCurrencyNumber(units: MoneyUnits, decimals = 2): number {
  return unitsToNumber(roundToCurrency(units, decimals));
}

/** Fixed-decimal text of the amount, e.g. formatUnits(3000, 2) === "0.30"; rounds like roundToCurrency. */
export function formatUnits(units: MoneyUnits, decimals = 2): string {
  const rounded = roundToCurrency(units, decimals);
  const magnitude = Math.abs(rounded);
  const whole = Math.trunc(magnitude / UNITS_PER_CURRENCY_UNIT);
  const fraction = String(magnitude % UNITS_PER_CURRENCY_UNIT).padStart(MONEY_SCALE, '0').slice(0, decimals);
  const sign = rounded < 0 ? '-' : '';
  return decimals === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction}`;
}
