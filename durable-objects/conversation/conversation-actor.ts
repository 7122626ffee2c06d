import { DurableObject } from "cloudflare:workers";
import type { BotCatalog } from "../../platform/bot-catalog.js";
import { DEFAULT_ROLLOUT_TTL_MS, sharedCatalog } from "../../platform/bot-catalog.js";
import type { Env } from "../../platform/env.js";
import { applyLogLevel, logEvent } from "../../platform/log.js";
import { sharedOutcomeCounters } from "../../platform/outcome-counters.js";
import { userPseudonym } from "../../platform/pseudonym.js";
import { slotKeyring } from "../../platform/slot-keyring.js";
import type { PayoutNotice } from "../../src/campaign/types.js";
import type { StoredEvent } from "../../src/conversation/events.js";
import type { GuestHandover } from "../../src/conversation/merge.js";
import { planMerge } from "../../src/conversation/merge.js";
import { payoutNoticeEvents } from "../../src/conversation/payout-notice.js";
import type { ConversationState } from "../../src/conversation/state.js";
import { foldEvents, initialConversationState } from "../../src/conversation/state.js";
import { conversationViewOf, pinnedVersionOf } from "../../src/conversation/view.js";
import type { AgentRef, AgentVisibleMessage, HandBack } from "../../src/handoff/types.js";
import type { TraceContext } from "../../src/metrics/trace.js";
import type { ConversationView, HistoryPage, HistoryQuery } from "../../src/protocol/conversation.js";
import type { Refusal } from "../../src/protocol/errors.js";
import type { PostMessageBody, TurnResult } from "../../src/protocol/messages.js";
import { WS_CLOSE } from "../../src/protocol/ws.js";
import type { OutcomeCounts } from "../../src/rollout/outcomes.js";
import { failedTurn, outcomeOfTurn } from "../../src/rollout/outcomes.js";
import type { VoiceJob, VoiceOrder } from "../../src/speech/job.js";
import { jobTimeoutMsOf } from "../../src/speech/job.js";
import type { VoiceStage } from "../../src/speech/messages.js";
import { ActorMetrics } from "./actor-metrics.js";
import { HandoffLink } from "./handoff-link.js";
import { handoverOf, linkedKey } from "./identity-link.js";
import { LiveReplies } from "./live-replies.js";
import { recentTurnsOf, sensitiveValuesOf } from "./llm-context.js";
import { LlmTurns } from "./llm-turns.js";
import { SealedLog } from "./sealed-log.js";
import { SerialQueue } from "./serial-queue.js";
import { ConversationSnapshots } from "./snapshots.js";
import { ConversationSockets } from "./sockets.js";
import { ConversationStore } from "./store.js";
import { TokenBudget } from "./token-budget.js";
import { TurnDesk } from "./turn-desk.js";
import { TurnRunner } from "./turn-runner.js";
import { streamTurn } from "./turn-stream.js";
import { UserRateLimit, userLimits } from "./user-rate-limit.js";
import type { CompleteOutcome, FailureReport, RedriveOutcome, RegisterOutcome, ReplyOutcome } from "./voice-jobs.js";
import { VoiceJobs, eraseVoiceAudio } from "./voice-jobs.js";
import { VoiceTimeouts } from "./voice-timeouts.js";
import { VoiceVersions } from "./voice-versions.js";

/** What an agent reads of a conversation at most: its last messages. */
const AGENT_HISTORY_MAX = 200;

/** What the gateway asks of the user's actor: the posted message, in which trace. */
export interface TurnRequest extends PostMessageBody {
  /** The caller's trace (W3C traceparent, baggage with the user's pseudonym): handed on to webhook calls. */
  trace?: TraceContext;
  /** Where a generated reply's deltas go: the clientMessageId, or a stream request's own key. */
  streamKey?: string;
}

/**
 * One per user: the conversation's hot state in memory, every change appended to its
 * SQLite log as an event. A shell around the pure core in `src/conversation/`.
 */
export class ConversationActor extends DurableObject<Env> {
  private store: ConversationStore;
  private state: ConversationState = initialConversationState();
  /** The actor's name: the user id it was addressed by (`getByName(sub)`), also after eviction and in alarms. */
  private readonly userId: string;
  /** Anything was ever written for this user (the meta row `user`, set by the first write). */
  private started = false;
  /** Turns and erasure run one at a time: an action's await must not let another turn interleave. */
  private readonly serial = new SerialQueue();
  private readonly catalog: BotCatalog;
  private readonly sockets: ConversationSockets;
  private voice: VoiceJobs;
  private readonly voiceTimeouts: VoiceTimeouts;
  private readonly voiceVersions: VoiceVersions;
  private readonly log: SealedLog;
  private readonly metrics = new ActorMetrics(this.env);
  private readonly snapshots: ConversationSnapshots;
  private readonly handoff: HandoffLink;
  private readonly turns: TurnRunner;
  private readonly desk: TurnDesk;
  /** Replies being generated: their deltas, for the sockets and for stream requests. */
  private readonly live: LiveReplies;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    applyLogLevel(env.LOG_LEVEL);
    this.store = new ConversationStore(ctx.storage.sql);
    this.userId = userIdOf(ctx, this.store);
    this.voice = this.voiceJobs();
    this.voiceTimeouts = new VoiceTimeouts(ctx.storage, () => this.voice);
    this.log = new SealedLog(
      () => this.store,
      () => slotKeyring(this.env),
    );
    this.snapshots = new ConversationSnapshots({
      ctx,
      env: () => this.env,
      store: () => this.store,
      log: this.log,
      metrics: this.metrics,
      current: () => ({ state: this.state, userId: this.started ? this.userId : null }),
    });
    this.live = new LiveReplies((frame) => this.sockets.push(frame));
    this.catalog = sharedCatalog(env.REGISTRY, Number(env.ROLLOUT_TTL_MS ?? DEFAULT_ROLLOUT_TTL_MS));
    this.voiceVersions = new VoiceVersions({
      catalog: this.catalog,
      userId: this.userId,
      botId: () => this.botId(),
      pinnedVersion: () => pinnedVersionOf(this.state),
    });
    this.sockets = new ConversationSockets(ctx, {
      turn: (request) => this.turn(request),
      eventsAfter: (seq) => this.store.eventsAfter(seq),
      currentSeq: () => this.state.seq,
      liveReplies: () => this.live.frames(),
      socketChanged: (change) => this.metrics.socket(change),
      pseudonym: () => userPseudonym(this.env, this.userId),
    });
    this.handoff = new HandoffLink({
      env,
      conversationId: ctx.id.toString(),
      userId: this.userId,
      state: () => this.state,
      bot: async () => (await this.catalog.resolve(this.botId(), this.userId, pinnedVersionOf(this.state))).bot,
      commit: (change, alsoWrite) => this.commit(change, alsoWrite),
      dedupe: (key) => this.store.getDedupe(key),
      remember: (key, result) => this.store.putDedupe(key, result),
      typing: (author) => this.sockets.push({ type: "typing", author }),
      lastMessages: (limit) => this.store.lastMessages(Math.min(limit, AGENT_HISTORY_MAX)),
    });
    this.turns = new TurnRunner({
      env,
      userId: this.userId,
      handoff: this.handoff,
      llm: new LlmTurns({
        env,
        recent: (limit, before) => recentTurnsOf(this.store.lastMessages(limit + 1), before, limit),
        sensitiveValues: () => sensitiveValuesOf(this.state),
        budget: new TokenBudget(() => this.store),
      }),
      live: this.live,
      state: () => this.state,
      commit: (change, alsoWrite) => this.commit(change, alsoWrite),
      remember: (key, result) => this.store.putDedupe(key, result),
      counted: (bot, cohort, events) => {
        this.metrics.turn(this.botId(), bot.version, cohort, events);
        this.countOutcome(bot.version, outcomeOfTurn(events));
      },
    });
    this.desk = new TurnDesk({
      serial: this.serial,
      rateLimit: new UserRateLimit(userLimits(env)),
      runner: this.turns,
      dedupe: (key) => this.store.getDedupe(key),
      resolve: (jobVersion) => this.catalog.resolve(this.botId(), this.userId, pinnedVersionOf(this.state) ?? jobVersion),
      typingWhile: (task) => this.sockets.typingWhile(task),
      failed: (version) => this.countOutcome(version, failedTurn()),
    });
    void ctx.blockConcurrencyWhile(() => this.load());
  }

  /** Runs one text turn, exactly once per `clientMessageId`; a repeat is answered even when rate limited. */
  async turn(request: TurnRequest): Promise<TurnResult | Refusal> {
    return this.desk.admit(request);
  }

  /** `POST /v1/messages` with `Accept: text/event-stream`: the turn as `delta` events and `done` (turn-stream.ts). */
  async turnStream(request: TurnRequest): Promise<ReadableStream<Uint8Array> | Refusal> {
    const key = request.clientMessageId ?? `stream-${crypto.randomUUID()}`;
    return streamTurn(this.live, key, () => this.desk.admit({ ...request, streamKey: key }));
  }

  async view(): Promise<ConversationView> {
    const { bot, cohort } = await this.catalog.resolve(this.botId(), this.userId, pinnedVersionOf(this.state));
    return conversationViewOf(this.userId, this.state, { botVersion: bot.version, cohort });
  }

  history(query: HistoryQuery): HistoryPage {
    const { messages, more } = this.store.messagesAfter(query.after, query.limit);
    return { messages, next: more ? (messages.at(-1)?.seq ?? null) : null };
  }

  /** Every event, one JSON object per line: the user's own data, sensitive values opened. */
  exportEvents(): Promise<string> {
    return this.log.exportNdjson(this.userId);
  }

  /** Identity link, guest side: what this guest's conversation brings to the user's. */
  handOver(): Promise<GuestHandover> {
    return this.serial.run(async () => handoverOf(this.store, this.state));
  }

  /** Identity link, user side: appends the guest's conversation once; a repeat answers the same count. */
  absorbGuest(guestId: string, handover: GuestHandover): Promise<{ merged: number }> {
    return this.serial.run(async () => {
      const done = this.store.getMeta(linkedKey(guestId));
      if (done !== null) return { merged: Number(done) };
      const plan = planMerge(this.state, guestId, handover, Date.now());
      const merged = plan.events.length - 1;
      await this.commit(plan, () => this.store.setMeta(linkedKey(guestId), String(merged)));
      return { merged };
    });
  }

  /** Erases everything stored for the user; the next message starts a new conversation. */
  erase(): Promise<void> {
    return this.serial.run(async () => {
      if (this.state.handoff) await this.handoff.erased((await this.catalog.resolve(this.botId(), this.userId, null)).bot);
      await this.snapshots.reset();
      this.sockets.closeAll(WS_CLOSE.reset, "conversation erased");
      // Audio first: if R2 fails, nothing is erased yet and the erase can be repeated.
      await eraseVoiceAudio(this.env.VOICE_AUDIO, this.userId);
      this.metrics.voiceJobsGone(this.voice.unfinishedJobIds());
      await this.ctx.storage.deleteAll();
      this.store = new ConversationStore(this.ctx.storage.sql);
      this.voice = this.voiceJobs();
      this.state = initialConversationState();
      this.started = false;
      logEvent("info", "conversation erased", { user: await userPseudonym(this.env, this.userId) });
    });
  }

  // Voice jobs (voice-jobs.ts): called by the gateway and the speech queue consumers.

  /** The job runs to its end on the bot version the user is on now (voice-versions.ts). */
  async registerVoiceJob(job: { jobId: string; audioKey: string; audioType: string }): Promise<RegisterOutcome> {
    const botVersion = await this.voiceVersions.current();
    this.start();
    const outcome = this.voice.register({ ...job, botVersion });
    if (outcome.ok) await this.voiceTimeouts.arm();
    return outcome;
  }

  voiceJob(jobId: string): VoiceJob | null {
    return this.voice.get(jobId);
  }

  voiceStep(jobId: string, stage: VoiceStage, attempt: number, run = 0): Promise<VoiceOrder> {
    return this.voiceVersions.order(this.voice.step(jobId, stage, attempt, run));
  }

  voiceReply(jobId: string, transcript: string, trace?: TraceContext): Promise<ReplyOutcome> {
    return this.voice.reply(jobId, transcript, trace);
  }

  voiceDone(jobId: string, audio: { key: string; contentType: string }): CompleteOutcome {
    return this.voice.complete(jobId, audio);
  }

  voiceFailure(jobId: string, report: FailureReport): void {
    this.voice.failure(jobId, report);
  }

  async redriveVoiceJob(jobId: string): Promise<RedriveOutcome> {
    const outcome = this.voice.redrive(jobId);
    if (outcome.ok) await this.voiceTimeouts.arm();
    return outcome;
  }

  private voiceJobs(): VoiceJobs {
    return new VoiceJobs(
      this.ctx.storage.sql,
      {
        // Serialized with turns and erasure (an erased job gets no turn); the desk's dedupe re-check answers a repeat.
        voiceTurn: ({ botVersion, ...request }, stillWanted) =>
          this.serial.run(async () => (stillWanted() ? this.sockets.typingWhile(() => this.desk.take(request, { jobVersion: botVersion })) : null)),
        sealTranscript: (text) => this.log.sealText(text, this.userId),
        openTranscript: (stored) => this.log.openText(stored, this.userId),
        shownUserText: (seq) => this.store.userTextOfTurn(seq),
        broadcast: (frame) => {
          this.sockets.push(frame);
          this.metrics.voiceStatus(frame);
        },
      },
      Date.now,
      jobTimeoutMsOf(this.env.VOICE_JOB_TIMEOUT_SECONDS),
    );
  }

  /**
   * The payout saga's word on a cash prize: `payout.paid` or `payout.failed` and the bot's
   * message, live on every socket, in history and export. Exactly once per draw and outcome.
   */
  payoutNotice(notice: PayoutNotice): Promise<{ seq: number; duplicate: boolean }> {
    return this.serial.run(async () => {
      const key = `payout:${notice.drawId}:${notice.outcome}`;
      const done = this.store.getDedupe(key);
      if (done) return { seq: done.seq, duplicate: true };
      const { bot } = await this.catalog.resolve(this.botId(), this.userId, pinnedVersionOf(this.state));
      const outcome = payoutNoticeEvents(this.state, notice, bot, Date.now());
      const result: TurnResult = { seq: outcome.seq, reply: { text: outcome.text }, duplicate: false, botVersion: bot.version };
      await this.commit(outcome, () => this.store.putDedupe(key, result));
      return { seq: outcome.seq, duplicate: false };
    });
  }

  // Human handoff (handoff-link.ts): called by the conversation's HandoffQueue for its agents.

  agentJoined(agent: AgentRef): Promise<void> {
    return this.serial.run(() => this.handoff.joined(agent));
  }

  agentMessage(agent: AgentRef, message: { messageId: string; text: string }): Promise<{ seq: number; duplicate: boolean }> {
    return this.serial.run(() => this.handoff.message(agent, message));
  }

  async agentTyping(agent: AgentRef): Promise<void> {
    this.handoff.typing(agent);
  }

  agentLeft(agent: AgentRef, handBack: HandBack): Promise<void> {
    return this.serial.run(() => this.handoff.left(agent, handBack));
  }

  waitExpired(queue: string): Promise<void> {
    return this.serial.run(() => this.handoff.waitExpired(queue));
  }

  async agentHistory(): Promise<AgentVisibleMessage[]> {
    return this.handoff.history();
  }

  /** `GET /v1/ws`, forwarded by the gateway once it has verified the token. */
  override async fetch(request: Request): Promise<Response> {
    return this.sockets.accept(request);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await this.sockets.message(ws, message);
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string): void {
    this.sockets.closed(ws, code, reason);
  }

  override async alarm(): Promise<void> {
    await this.snapshots.alarm();
    await this.voiceTimeouts.ring();
  }

  /** Every append: sealed events and `alsoWrite` in one transaction, then the new state, fan-out, snapshot. */
  private async commit(change: { events: readonly StoredEvent[]; state: ConversationState }, alsoWrite: () => void): Promise<void> {
    const stored = await this.log.seal(change.events, this.userId);
    this.ctx.storage.transactionSync(() => {
      this.start();
      this.store.append(stored);
      alsoWrite();
    });
    this.state = change.state;
    this.sockets.broadcast(stored);
    this.snapshots.dirty();
  }

  /**
   * Per-version outcome counters for canary comparison: batched per isolate, never awaited by the
   * turn. Not handed to `ctx.waitUntil`, which does nothing in a Durable Object: the batcher's
   * own timer sends them, and an actor stays in memory well past the flush interval after its
   * last event (test/worker/durable-objects/conversation/outcome-flush.test.ts).
   */
  private countOutcome(version: string, counts: OutcomeCounts): void {
    void sharedOutcomeCounters(this.env.REGISTRY).record(this.botId(), version, counts);
  }

  private async load(): Promise<void> {
    this.metrics.loaded();
    this.started = this.store.started();
    const userId = this.started ? this.userId : null;
    const base = await this.snapshots.restore(userId);
    // Not started: nothing was ever written (the first write marks it), so no events either.
    if (userId !== null) this.state = foldEvents(base, await this.log.replayAfter(base.seq, userId));
    // A reply cut off mid-generation (the process died): its scripted answer goes out now.
    await this.turns.finishPending();
  }

  /** The first write for this user marks the conversation started (in the same transaction as the write). */
  private start(): void {
    if (this.started) return;
    this.store.markStarted(this.userId);
    this.started = true;
  }

  private botId(): string {
    return this.env.BOT_ID || "shop";
  }
}

/**
 * The user an actor serves: its name. Addressed by its object id alone — by whoever must not
 * hold the user id (a handoff queue holds the opaque id) — it is the user its storage was
 * started for; a conversation that never started cannot be reached that way.
 */
function userIdOf(ctx: DurableObjectState, store: ConversationStore): string {
  const name = ctx.id.name ?? store.startedFor();
  if (!name) throw new Error("no conversation here: an actor is created by the user id (getByName), and reached by its id only once it started");
  return name;
}
