// @ts-check
// The operations page: reads GET /v1/admin/stats with an admin token and draws it (the language
// model's figures in llm.js), and lists the campaigns (campaigns.js) and the human handoff
// queues (handoff.js).
// Static (served from public/admin by Workers Static Assets); no framework, no build step.
import { campaignPanel } from "./campaigns.js";
import { formatAge, formatCount, formatMs, formatPercent } from "./chart-scale.js";
import { barList, columnChart, lineChart } from "./charts.js";
import { handoffPanel } from "./handoff.js";
import { llmPanel } from "./llm.js";

/**
 * The answer of GET /v1/admin/stats (src/protocol/metrics.ts is its schema).
 * @typedef {{ stable: number, canary: number }} ByCohort
 * @typedef {{ stable: number | null, canary: number | null }} RateByCohort
 * @typedef {{ start: number, requests: number, errors: number, latencyMs: { p50: number | null, p99: number | null },
 *   turns: ByCohort, fallbacks: ByCohort, fallbackRate: RateByCohort, handoffs: number, coldTurns: number,
 *   voice: Record<string, number>, retries: number, deadLetters: number, llm: import("./llm-format.js").LlmFigures }} Bucket
 * @typedef {Omit<Bucket, "start" | "llm"> & { intents: { intent: string, count: number }[], actorHitRatio: number | null,
 *   snapshotsWritten: number, snapshotMacFailures: number, llm: import("./llm-format.js").LlmTotals }} Totals
 * @typedef {{ websocketsOpen: number, voiceQueues: { stage: string, backlog: number, lagSeconds: number }[],
 *   shards: { ok: number, unreachable: number } }} Now
 * @typedef {{ window: string, stepSeconds: number, from: number, to: number, generatedAt: number,
 *   buckets: Bucket[], totals: Totals, now: Now }} Stats
 */

const TOKEN_KEY = "parley:admin-token";
const VOICE_STATUSES = ["queued", "transcribing", "replying", "synthesizing", "done", "failed"];
/** @type {Record<string, string>} */
const VOICE_COLORS = { done: "var(--done)", failed: "var(--failed)" };
const WINDOW_KEY = "parley:admin-window";
const REFRESH_MS = 15_000;
/** @param {string} name a colour of admin.css */
const color = (name) => `var(--${name})`;

const state = {
  /** @type {string} */
  window: sessionStorage.getItem(WINDOW_KEY) ?? "1h",
  /** @type {Stats | null} */
  stats: null,
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  timer: undefined,
};

/**
 * @param {string} id
 * @returns {HTMLElement}
 */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element;
}

/**
 * A request with the admin token of this tab.
 * @param {string} path
 * @param {RequestInit} [init]
 */
function withToken(path, init = {}) {
  return fetch(path, { ...init, headers: { authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) ?? ""}` } });
}

/** @type {import("./campaigns.js").PanelPorts} */
const panelPorts = {
  request: withToken,
  signedOut: (message) => {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin(`That token was not accepted: ${message}`);
  },
};
const campaigns = campaignPanel(byId("campaigns"), panelPorts);
const handoff = handoffPanel(byId("handoff"), panelPorts);
const llm = llmPanel(byId("llm"));

/** A token from the URL fragment (#token=…) is taken once and removed from the address bar and history. */
function tokenFromFragment() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]));
  history.replaceState(null, "", location.pathname + location.search);
}

/** @param {string} [message] */
function showLogin(message = "") {
  clearTimeout(state.timer);
  byId("dashboard").hidden = true;
  byId("login").hidden = false;
  byId("login-error").textContent = message;
  byId("updated").textContent = "signed out";
  /** @type {HTMLInputElement} */ (byId("token")).focus();
}

async function load() {
  clearTimeout(state.timer);
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return showLogin();
  try {
    const response = await fetch(`/v1/admin/stats?window=${encodeURIComponent(state.window)}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem(TOKEN_KEY);
      const { error } = /** @type {{ error?: { message?: string } }} */ (await response.json().catch(() => ({})));
      return showLogin(`${response.status === 401 ? "That token was not accepted" : "That token lacks the admin scope"}: ${error?.message ?? ""}`);
    }
    if (!response.ok) throw new Error(`the stats answered ${response.status}`);
    state.stats = /** @type {Stats} */ (await response.json());
    byId("login").hidden = true;
    byId("dashboard").hidden = false;
    render(state.stats);
    void campaigns.refresh();
    void handoff.refresh();
    byId("updated").textContent = `updated ${new Date(state.stats.generatedAt).toLocaleTimeString()}`;
  } catch (error) {
    byId("updated").textContent = `could not load: ${error instanceof Error ? error.message : String(error)}`;
  }
  state.timer = setTimeout(load, REFRESH_MS);
}

/** @param {Stats} stats */
function render(stats) {
  renderTiles(stats);
  const step = stats.stepSeconds === 60 ? "per minute" : `per ${stats.stepSeconds / 60} min`;
  for (const unit of document.querySelectorAll("[data-unit='turns']")) unit.textContent = step;
  const chart = (/** @type {string} */ id) => /** @type {HTMLElement} */ (byId(id).querySelector(".chart"));
  columnChart(chart("chart-turns"), {
    points: stats.buckets.map((bucket) => ({ x: bucket.start, values: { stable: bucket.turns.stable, canary: bucket.turns.canary } })),
    series: [
      { key: "stable", label: "stable", color: color("stable") },
      { key: "canary", label: "canary", color: color("canary") },
    ],
  });
  lineChart(chart("chart-latency"), {
    points: stats.buckets.map((bucket) => ({ x: bucket.start, values: { p50: bucket.latencyMs.p50, p99: bucket.latencyMs.p99 } })),
    series: [
      { key: "p50", label: "p50", color: color("p50") },
      { key: "p99", label: "p99", color: color("p99") },
    ],
    format: (ms) => formatMs(ms),
  });
  lineChart(chart("chart-fallbacks"), {
    points: stats.buckets.map((bucket) => ({ x: bucket.start, values: { stable: bucket.fallbackRate.stable, canary: bucket.fallbackRate.canary } })),
    series: [
      { key: "stable", label: "stable", color: color("stable") },
      { key: "canary", label: "canary", color: color("canary") },
    ],
    format: (ratio) => formatPercent(ratio),
    minMax: 0.1,
  });
  barList(chart("chart-intents"), { items: stats.totals.intents.map((item) => ({ label: item.intent, value: item.count })), color: color("bar") });
  // A funnel: how many jobs reached each status, in the order a job moves through them.
  barList(chart("chart-voice"), {
    items: VOICE_STATUSES.map((status) => ({ label: status, value: stats.totals.voice[status] ?? 0, color: VOICE_COLORS[status] })),
    color: color("stable"),
  });
  llm.render(stats.buckets, stats.totals.llm, { ok: color("stable"), failed: color("failed") });
  const shards = stats.now.shards;
  byId("footnote").textContent =
    `${stats.buckets.length} buckets of ${stats.stepSeconds / 60} min · ${shards.ok} aggregator shards` +
    (shards.unreachable > 0 ? ` · ${shards.unreachable} unreachable: figures are partial` : "") +
    ` · snapshots written ${stats.totals.snapshotsWritten}, MAC failures ${stats.totals.snapshotMacFailures} · Prometheus: GET /metrics`;
}

/** @param {Stats} stats */
function renderTiles(stats) {
  const { totals, now } = stats;
  const set = (/** @type {string} */ id, /** @type {string} */ text) => void (byId(id).textContent = text);
  set("kpi-turns", formatCount(totals.turns.stable + totals.turns.canary));
  set("kpi-turns-sub", `${formatCount(totals.turns.canary)} canary · ${formatCount(totals.handoffs)} handoffs`);
  set("kpi-requests", formatCount(totals.requests));
  set("kpi-errors", totals.errors > 0 ? `${formatCount(totals.errors)} answered 5xx` : "no 5xx");
  const { p50, p99 } = totals.latencyMs;
  set(
    "kpi-latency",
    p50 !== null && p99 !== null && p99 < 1000 ? `${formatMs(p50).replace(" ms", "")} / ${formatMs(p99)}` : `${formatMs(p50)} / ${formatMs(p99)}`,
  );
  set("kpi-fallback", formatPercent(totals.fallbackRate.stable));
  set("kpi-fallback-sub", `stable · canary ${formatPercent(totals.fallbackRate.canary)}`);
  set("kpi-hits", formatPercent(totals.actorHitRatio));
  set("kpi-sockets", formatCount(now.websocketsOpen));
  const backlog = now.voiceQueues.reduce((sum, queue) => sum + queue.backlog, 0);
  const lag = Math.max(0, ...now.voiceQueues.map((queue) => queue.lagSeconds));
  set("kpi-backlog", formatCount(backlog));
  set("kpi-lag", backlog > 0 ? `oldest waits ${formatAge(lag)}` : "nothing waiting");
  const queues = now.voiceQueues.map((queue) => `${queue.stage.toUpperCase()} ${queue.backlog}${queue.backlog ? ` (${formatAge(queue.lagSeconds)})` : ""}`);
  set("voice-now", `${formatCount(totals.retries)} retries · ${formatCount(totals.deadLetters)} dead letters · waiting now: ${queues.join(", ")}`);
}

function bindControls() {
  for (const button of document.querySelectorAll("[data-window]")) {
    const choice = button.getAttribute("data-window") ?? "1h";
    button.setAttribute("aria-pressed", String(choice === state.window));
    button.addEventListener("click", () => {
      state.window = choice;
      sessionStorage.setItem(WINDOW_KEY, choice);
      for (const other of document.querySelectorAll("[data-window]")) other.setAttribute("aria-pressed", String(other === button));
      void load();
    });
  }
  byId("login").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = /** @type {HTMLInputElement} */ (byId("token"));
    sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    input.value = "";
    void load();
  });
  byId("forget").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin();
  });
  let resizing = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
  addEventListener("resize", () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => state.stats && render(state.stats), 150);
  });
}

tokenFromFragment();
bindControls();
void load();
