// @ts-check
// What the campaign panel shows, from the admin API's answers: money, counts, latency. No DOM,
// so Node tests import it (test/unit/metrics/admin-campaigns.test.ts).
import { formatMs } from "./chart-scale.js";

/**
 * The answers of GET /v1/admin/campaigns and GET /v1/admin/campaigns/{id} (src/campaign/api.ts
 * is their schema), as far as the panel reads them.
 * @typedef {"scheduled" | "active" | "paused" | "ended"} CampaignStatus
 * @typedef {{ id: string, name: string, startsAt: string, endsAt: string, status: CampaignStatus,
 *   adminStatus: "active" | "paused" | "ended" }} CampaignSummary
 * @typedef {{ count: number, amount: number }} MoneyCount
 * @typedef {{ count: number, p50Ms: number | null, p90Ms: number | null, maxMs: number | null }} LatencyFigures
 * @typedef {{ id: string, kind: string, amount: number, count: number, label: { en: string, zh: string } }} Prize
 * @typedef {{ draws: number, wins: Record<string, number>, budgetLeft: number,
 *   cash: { reserved: MoneyCount, paid: MoneyCount, released: MoneyCount },
 *   payoutLatency: { paid: LatencyFigures, released: LatencyFigures } }} CampaignTotals
 * @typedef {{ definition: { id: string, name: string, currency: string, budget: number, prizes: Prize[] },
 *   status: CampaignStatus, adminStatus: "active" | "paused" | "ended", totals: CampaignTotals }} CampaignAnswer
 */

/**
 * The one control the panel offers: pause an open campaign, resume a paused one. An ended
 * campaign has none (ending is for good, and only the API does it).
 * @typedef {{ action: "pause" | "resume", label: "Pause" | "Resume" }} StatusControl
 */

/** Symbols of the currencies a shop is likely to pay in; any other shows its code. Same as src/campaign/money.ts. */
/** @type {Readonly<Record<string, string>>} */
const SYMBOLS = { CNY: "¥", USD: "$", EUR: "€", GBP: "£", JPY: "¥", HKD: "HK$" };
const NO_MINOR_UNITS = new Set(["JPY", "KRW"]);

/**
 * An amount in minor units as the chat tells it to a winner (src/campaign/money.ts): integers
 * in, text out, never a float.
 * @param {number} amount minor units
 * @param {string} currency ISO 4217
 * @returns {string}
 * @example formatMoney(1250, "CHF") // "12.50 CHF"
 */
export function formatMoney(amount, currency) {
  const whole = NO_MINOR_UNITS.has(currency);
  const sign = amount < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(amount));
  const text = whole ? String(abs) : `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
  const symbol = SYMBOLS[currency];
  return symbol === undefined ? `${sign}${text} ${currency}` : `${sign}${symbol}${text}`;
}

/**
 * @param {MoneyCount} money
 * @param {string} currency
 * @returns {string} e.g. "3 · ¥15.00"
 */
export function formatMoneyCount(money, currency) {
  return `${money.count} · ${formatMoney(money.amount, currency)}`;
}

/**
 * @param {LatencyFigures} figures
 * @returns {string} e.g. "850 ms / 2.4 s", or "–" before any payout ended
 */
export function formatLatency(figures) {
  return figures.count === 0 ? "–" : `${formatMs(figures.p50Ms)} / ${formatMs(figures.p90Ms)}`;
}

/**
 * Wins per prize, in the definition's order, named by their English label.
 * @param {CampaignAnswer} answer
 * @returns {{ label: string, count: number }[]}
 */
export function winsByPrize(answer) {
  return answer.definition.prizes.map((prize) => ({ label: prize.label.en, count: answer.totals.wins[prize.id] ?? 0 }));
}

/**
 * @param {CampaignSummary["adminStatus"]} adminStatus
 * @returns {StatusControl | null}
 */
export function statusControl(adminStatus) {
  if (adminStatus === "active") return { action: "pause", label: "Pause" };
  if (adminStatus === "paused") return { action: "resume", label: "Resume" };
  return null;
}

/**
 * The text cells of one campaign's row, in column order (after the name and before the button).
 * @param {CampaignAnswer} answer
 * @returns {{ status: string, draws: string, reserved: string, paid: string, released: string, budgetLeft: string, latency: string }}
 */
export function rowFigures(answer) {
  const { totals, definition } = answer;
  const money = (/** @type {MoneyCount} */ count) => formatMoneyCount(count, definition.currency);
  return {
    status: answer.status,
    draws: String(totals.draws),
    reserved: money(totals.cash.reserved),
    paid: money(totals.cash.paid),
    released: money(totals.cash.released),
    budgetLeft: `${formatMoney(totals.budgetLeft, definition.currency)} of ${formatMoney(definition.budget, definition.currency)}`,
    latency: formatLatency(totals.payoutLatency.paid),
  };
}
