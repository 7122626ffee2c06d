/**
 * Every metric Parley exports: one place for names, help texts, label names and histogram
 * buckets, so recording, merging, the Prometheus text and the stats JSON cannot disagree.
 * Counters only go up; gauges are not recorded at all but derived when /metrics is read
 * (see `derived.ts`), because a value like "open WebSockets" must be global, and only
 * counters sum correctly across isolates and shards.
 */

/** Request latency, seconds: Prometheus' default buckets, fine enough for p50/p99 of an edge API. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/**
 * Payout latency, seconds (reservation → paid or released): a payment that goes through at once
 * takes about a second, a retried one minutes, a pending one waits up to an hour for its callback.
 */
export const PAYOUT_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] as const;

/**
 * Handoff wait, seconds (entering the queue → an agent's claim): a staffed queue answers in
 * seconds, a busy one in minutes; past an hour the bot has long offered a ticket.
 */
export const HANDOFF_WAIT_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600] as const;

/** A model's time to first token and whole duration, seconds: a fast model answers in tenths, a slow one in seconds. */
export const LLM_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 15, 30] as const;

interface CounterDef<L extends string> {
  kind: "counter";
  help: string;
  labels: readonly L[];
}

interface HistogramDef<L extends string> {
  kind: "histogram";
  help: string;
  labels: readonly L[];
  /** upper bounds, ascending; an implicit +Inf bucket follows */
  buckets: readonly number[];
}

const counter = <L extends string>(help: string, labels: readonly L[]): CounterDef<L> => ({ kind: "counter", help, labels });
const histogram = <L extends string>(help: string, labels: readonly L[], buckets: readonly number[]): HistogramDef<L> => ({
  kind: "histogram",
  help,
  labels,
  buckets,
});

export const METRICS = {
  parley_http_requests_total: counter("HTTP requests answered by the gateway, by route pattern, method and status.", ["route", "method", "status"]),
  parley_http_request_duration_seconds: histogram(
    "Time from request to answer at the gateway, by route pattern and method.",
    ["route", "method"],
    LATENCY_BUCKETS,
  ),
  parley_turns_total: counter("Committed dialog turns, by bot, version and cohort.", ["bot", "version", "cohort"]),
  parley_intents_total: counter("Intents the NLU recognized in committed turns ('none' when it recognized nothing).", ["bot", "version", "intent"]),
  parley_fallbacks_total: counter("Turns in which the bot fell back, by bot, version, cohort and reason.", ["bot", "version", "cohort", "reason"]),
  parley_handoffs_total: counter("Turns that asked for a human, by bot, version and cohort.", ["bot", "version", "cohort"]),
  parley_turn_errors_total: counter("Turns in which an action failed or a flow ended in error.", ["bot", "version", "cohort"]),
  parley_actor_turns_total: counter("Turns by how the actor served them: 'warm' (state in memory) or 'cold' (first turn after loading from storage).", [
    "start",
  ]),
  parley_actor_cold_loads_total: counter("Conversation actors that loaded their state from storage (snapshot + tail).", []),
  parley_snapshots_written_total: counter("Sealed state snapshots written by conversation actors.", []),
  parley_snapshot_mac_failures_total: counter("Snapshots rejected on load (bad MAC or format) and rebuilt from older state.", ["reason"]),
  parley_websockets_opened_total: counter("WebSockets accepted by conversation actors.", []),
  parley_websockets_closed_total: counter("WebSockets closed (by the client, or by the actor).", []),
  parley_voice_jobs_total: counter("Voice jobs entering each status.", ["status"]),
  parley_voice_queue_retries_total: counter("Voice queue deliveries that failed and were sent back for a retry, by stage.", ["stage"]),
  parley_voice_queue_dead_letters_total: counter("Voice queue messages that used up their retries (dead-letter queue), by stage.", ["stage"]),
  parley_campaign_draws_total: counter(
    "Draws answered by campaign shards, by outcome: won, lost, limit (no draws left), closed, exhausted, or replay (a repeated request given its first result).",
    ["campaign", "outcome"],
  ),
  parley_campaign_wins_total: counter("Prizes won in new draws (replays not counted), by campaign and prize id.", ["campaign", "prize"]),
  parley_payouts_total: counter(
    "Cash payouts that ended: paid, failed (rejected by the provider and released), or unsettled (outcome unknown; left reserved for reconciliation).",
    ["campaign", "outcome"],
  ),
  parley_payout_saga_retries_total: counter("Payout saga steps that ran again after a failed attempt, by campaign and step.", ["campaign", "step"]),
  parley_payout_compensations_total: counter("Cash reservations released after a rejected payment (the saga's compensation), by campaign.", ["campaign"]),
  parley_payout_duration_seconds: histogram(
    "Time from a cash win's reservation to its payout being paid or released, by campaign.",
    ["campaign"],
    PAYOUT_BUCKETS,
  ),
  parley_handoff_enqueued_total: counter("Conversations that entered a handoff queue (asked for a human, or transferred there), by bot and queue.", [
    "bot",
    "queue",
  ]),
  parley_handoff_claimed_total: counter("Waiting conversations an agent claimed (one per entry, however many agents clicked), by bot and queue.", [
    "bot",
    "queue",
  ]),
  parley_handoff_wait_seconds: histogram(
    "Time a conversation waited in a handoff queue before an agent claimed it (from its first wait start, across transfers), by bot and queue.",
    ["bot", "queue"],
    HANDOFF_WAIT_BUCKETS,
  ),
  parley_handoff_handled_total: counter(
    "Claimed conversations that left their agent, by resolution: resolved (handed back to the bot), transferred, or the user's own user_cancelled / erased.",
    ["bot", "queue", "resolution"],
  ),
  parley_handoff_abandoned_total: counter("Conversations that left a handoff queue while still waiting (back to the bot, or erased), by bot and queue.", [
    "bot",
    "queue",
  ]),
  parley_handoff_tickets_total: counter("Messages left for the agents when nobody could take the conversation (tickets), by bot and queue.", ["bot", "queue"]),
  parley_handoff_ratings_total: counter("Satisfaction answers (1–5) after a hand-back, counted once per handled entry, by bot, queue and score.", [
    "bot",
    "queue",
    "score",
  ]),
  parley_llm_requests_total: counter(
    "Calls to a language model, by model, use (understand: propose commands; generate: write a reply) and outcome (ok, or the failure: timeout, http, network, malformed, cut, circuit_open, budget, busy).",
    ["model", "use", "outcome"],
  ),
  parley_llm_tokens_total: counter("Tokens sent to (in) and generated by (out) language models, by model and use.", ["model", "use", "direction"]),
  parley_llm_first_token_seconds: histogram("Time from asking a model to its first token, by model and use.", ["model", "use"], LLM_BUCKETS),
  parley_llm_duration_seconds: histogram(
    "Time from asking a model to its last token, for calls that succeeded, by model and use.",
    ["model", "use"],
    LLM_BUCKETS,
  ),
  parley_llm_commands_total: counter("Commands a model proposed, by verdict: accepted (validated like a typed value) or dropped.", ["bot", "verdict"]),
  parley_llm_replies_total: counter(
    "Bot replies a model was asked to write, by source: generated (its text went out) or scripted (the bot's own answer went out, and the reason).",
    ["bot", "model", "source", "reason"],
  ),
} as const satisfies Record<string, CounterDef<string> | HistogramDef<string>>;

export type MetricName = keyof typeof METRICS;
type Def<N extends MetricName> = (typeof METRICS)[N];
export type CounterName = { [N in MetricName]: Def<N> extends CounterDef<string> ? N : never }[MetricName];
export type HistogramName = { [N in MetricName]: Def<N> extends HistogramDef<string> ? N : never }[MetricName];

/** The labels a metric takes, all of them required: `{ route, method, status }` for requests. */
export type LabelsOf<N extends MetricName> = { readonly [L in Def<N>["labels"][number]]: string };

export function metricDef(name: MetricName): CounterDef<string> | HistogramDef<string> {
  return METRICS[name];
}

/** Whether a name (e.g. from storage written by another release) is one this release knows. */
export function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRICS, name);
}
