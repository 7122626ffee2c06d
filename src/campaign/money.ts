/** Symbols of the currencies a shop is likely to pay in; any other shows its code ("12.50 CHF"). */
const SYMBOLS: Readonly<Record<string, string>> = { CNY: "¥", USD: "$", EUR: "€", GBP: "£", JPY: "¥", HKD: "HK$" };
/** Currencies without minor units: the amount is already whole. */
const NO_MINOR_UNITS: ReadonlySet<string> = new Set(["JPY", "KRW"]);

/**
 * An amount in minor units as a user reads it. Integers in, text out: money is never a float.
 *
 * @example formatMoney(500, "CNY") // → "¥5.00"
 * @example formatMoney(1250, "CHF") // → "12.50 CHF"
 */
export function formatMoney(amount: number, currency: string): string {
  const whole = NO_MINOR_UNITS.has(currency);
  const sign = amount < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(amount));
  const text = whole ? String(abs) : `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
  const symbol = SYMBOLS[currency];
  return symbol === undefined ? `${sign}${text} ${currency}` : `${sign}${symbol}${text}`;
}
