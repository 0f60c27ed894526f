import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addUnits, formatUnits, MoneyFormatError, MoneyOverflowError, parseMoneyNumber, parseMoneyString, roundToCurrency,
  sumUnits, toUnits, unitsToCurrencyNumber, unitsToNumber,
} from '../../../src/lib/money.js';

/** An independent exact reference: the decimal text of `n / 10^4` via BigInt. */
function bigDecimal(units: bigint): string {
  const negative = units < 0n;
  const m = negative ? -units : units;
  const text = `${m / 10_000n}.${String(m % 10_000n).padStart(4, '0')}`;
  return negative && m !== 0n ? `-${text}` : text;
}

describe('money', () => {
  it('parses JS numbers exactly and sums without drift', () => {
    expect(toUnits(0.1)).toBe(1000);
    expect(toUnits(0.2)).toBe(2000);
    expect(unitsToNumber(addUnits(toUnits(0.1), toUnits(0.2)))).toBe(0.3);
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(toUnits(-12.3456)).toBe(-123456);
    expect(toUnits(1234567.89)).toBe(12345678900);
    expect(Object.is(toUnits(-0), 0)).toBe(true);
  });

  it('flags and rounds half away from zero an amount with more than 4 decimals', () => {
    expect(parseMoneyNumber(1.23456)).toEqual({ units: 12346, exact: false });
    expect(parseMoneyNumber(-1.23455)).toEqual({ units: -12346, exact: false });
    expect(parseMoneyString('0.00005')).toEqual({ units: 1, exact: false });
    expect(parseMoneyString('-0.00005')).toEqual({ units: -1, exact: false });
    expect(parseMoneyString('1.23450000')).toEqual({ units: 12345, exact: true });
    expect(() => toUnits(1.23456)).toThrow(MoneyFormatError);
  });

  it('rejects what is not an amount and what would leave the exact range', () => {
    expect(() => parseMoneyNumber(Number.NaN)).toThrow(MoneyFormatError);
    expect(() => parseMoneyNumber(Number.POSITIVE_INFINITY)).toThrow(MoneyFormatError);
    expect(() => parseMoneyString('1,5')).toThrow(MoneyFormatError);
    expect(() => parseMoneyNumber(1e12)).toThrow(MoneyOverflowError);
    expect(() => parseMoneyString('99999999999999999999')).toThrow(MoneyOverflowError);
    expect(() => addUnits(Number.MAX_SAFE_INTEGER, 1)).toThrow(MoneyOverflowError);
  });

  it('rounds to cents half away from zero, symmetric for credits', () => {
    expect(roundToCurrency(12345)).toBe(12300);
    expect(roundToCurrency(12350)).toBe(12400);
    expect(roundToCurrency(-12350)).toBe(-12400);
    expect(roundToCurrency(-12349)).toBe(-12300);
    expect(roundToCurrency(12350, 0)).toBe(10000);
    expect(roundToCurrency(12355, 3)).toBe(12360);
    expect(roundToCurrency(12355, 4)).toBe(12355);
    expect(unitsToCurrencyNumber(10049)).toBe(1);
    expect(unitsToCurrencyNumber(10050)).toBe(1.01);
    expect(formatUnits(3000)).toBe('0.30');
    expect(formatUnits(-5)).toBe('0.00');
    expect(formatUnits(-50)).toBe('-0.01');
    expect(formatUnits(123456789, 0)).toBe('12346');
    expect(() => roundToCurrency(1, 5)).toThrow(RangeError);
  });

  it('round-trips every 4-decimal amount, number and string alike', () => {
    fc.assert(fc.property(fc.integer({ min: -(10 ** 14), max: 10 ** 14 }), (units) => {
      const text = bigDecimal(BigInt(units));
      expect(toUnits(Number(text))).toBe(units);
      expect(toUnits(text)).toBe(units);
      expect(unitsToNumber(units)).toBe(Number(text));
    }), { numRuns: 2000 });
  });

  it('sums equal the BigInt reference', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -(10 ** 10), max: 10 ** 10 }), { maxLength: 200 }), (list) => {
      const asNumbers = list.map((u) => Number(bigDecimal(BigInt(u))));
      const exact = list.reduce((s, u) => s + BigInt(u), 0n);
      expect(BigInt(sumUnits(asNumbers.map(toUnits)))).toBe(exact);
      const cents = exact < 0n ? -((-exact + 50n) / 100n) * 100n : ((exact + 50n) / 100n) * 100n;
      expect(BigInt(roundToCurrency(Number(exact)))).toBe(cents);
    }), { numRuns: 500 });
  });
});
