import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { VoiceFrame } from "../../../src/protocol/frames.js";
import type { VoiceJobView, VoiceStatus } from "../../../src/protocol/voice.js";
import type { Microphone, RecorderLike } from "../../../widget/core/voice.js";
import { VoiceTurnError } from "../../../widget/core/voice.js";
import type { VoiceState, VoiceTurnsOptions } from "../../../widget/core/voice-turns.js";
import { VoiceTurns } from "../../../widget/core/voice-turns.js";

const JOB = "9de16c80-ff35-4c18-8b2f-0edae7c463d6";
const POLL_MS = 1_000;

/** A microphone whose recorder hands over "rec" when stopped; counts opens and releases. */
function fakeMicrophone(open: () => Promise<void> = async () => undefined) {
  const counts = { opened: 0, released: 0 };
  const microphone: Microphone = {
    open: async () => {
      await open();
      counts.opened++;
      return { stream: {}, release: () => void counts.released++ };
    },
    recorder: () => {
      const listeners: Record<string, ((event: { data: Blob }) => void)[]> = {};
      const recorder: RecorderLike = {
        start: () => undefined,
        stop: () => {
          for (const listener of listeners["dataavailable"] ?? []) listener({ data: new Blob(["rec"]) });
          for (const listener of listeners["stop"] ?? []) listener({ data: new Blob() });
        },
        addEventListener: (type: string, listener: (event: { data: Blob }) => void) => void (listeners[type] ??= []).push(listener),
      };
      return recorder;
    },
  };
  return { microphone, counts };
}

const view = (status: VoiceStatus, extra: Partial<VoiceJobView> = {}): VoiceJobView => ({
  jobId: JOB,
  status,
  attempts: { asr: 1, tts: 0 },
  createdAt: 1,
  updatedAt: 1,
  ...extra,
});
const frame = (status: VoiceStatus, extra: Partial<VoiceFrame> = {}): VoiceFrame => ({ type: "voice", jobId: JOB, status, ...extra });
const done = { audioUrl: `/v1/voice/${JOB}/audio` };

function setup(overrides: Partial<VoiceTurnsOptions> = {}) {
  const { microphone, counts } = fakeMicrophone();
  const sent: Blob[] = [];
  const played: Blob[] = [];
  const states: VoiceState[] = [];
  const api = {
    send: vi.fn(async (audio: Blob) => {
      sent.push(audio);
      return JOB;
    }),
    job: vi.fn(async (): Promise<VoiceJobView> => view("transcribing")),
    audio: vi.fn(async () => new Blob(["spoken"], { type: "audio/mpeg" })),
  };
  const turns = new VoiceTurns({
    api,
    microphone,
    mimeType: "audio/webm;codecs=opus",
    play: async (audio) => void played.push(audio),
    onChange: (state) => states.push(state),
    pollMs: POLL_MS,
    ...overrides,
  });
  const phases = () => states.map((state) => (state.phase === "working" ? state.step : state.phase === "problem" ? state.problem : state.phase));
  return { turns, api, counts, sent, played, states, phases };
}

/** Records and sends: the turn is then following the job. */
async function sendOne(turns: VoiceTurns): Promise<void> {
  await turns.toggle();
  await turns.toggle();
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("VoiceTurns", () => {
  it("records on the first press, sends on the second, follows the frames and plays the reply", async () => {
    const { turns, api, counts, sent, played, phases } = setup();
    await turns.toggle();
    expect(turns.state).toEqual({ phase: "recording" });
    await turns.toggle();
    expect(counts).toEqual({ opened: 1, released: 1 });
    expect(sent[0]?.type).toBe("audio/webm;codecs=opus");
    expect(await sent[0]?.text()).toBe("rec");
    turns.frame(frame("transcribing"));
    turns.frame(frame("replying", { transcript: "hello" }));
    turns.frame(frame("synthesizing"));
    turns.frame(frame("done", done));
    await vi.advanceTimersByTimeAsync(0);
    expect(api.audio).toHaveBeenCalledWith(expect.objectContaining(done));
    expect(await played[0]?.text()).toBe("spoken");
    expect(phases()).toEqual(["starting", "recording", "sending", "queued", "transcribing", "replying", "synthesizing", "idle"]);
    expect(api.job).not.toHaveBeenCalled();
  });

  it("ignores frames of other jobs (another tab's turn)", async () => {
    const { turns, played } = setup();
    await sendOne(turns);
    turns.frame({ ...frame("done", done), jobId: "another-job" });
    await vi.advanceTimersByTimeAsync(0);
    expect(played).toEqual([]);
    expect(turns.state).toEqual({ phase: "working", step: "queued" });
  });

  it("asks for the job when no frame comes (the socket is down), and plays the reply once", async () => {
    const { turns, api, played } = setup();
    api.job.mockResolvedValueOnce(view("replying")).mockResolvedValue(view("done", done));
    await sendOne(turns);
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(turns.state).toEqual({ phase: "working", step: "replying" });
    await vi.advanceTimersByTimeAsync(POLL_MS);
    turns.frame(frame("done", done)); // late: the poll saw it first
    await vi.advanceTimersByTimeAsync(5 * POLL_MS);
    expect(api.job).toHaveBeenCalledTimes(2);
    expect(played).toHaveLength(1);
    expect(turns.state).toEqual({ phase: "idle" });
  });

  it("does not take the progress shown backwards when a poll answers late", async () => {
    const { turns, api } = setup();
    api.job.mockResolvedValue(view("transcribing"));
    await sendOne(turns);
    turns.frame(frame("synthesizing"));
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(turns.state).toEqual({ phase: "working", step: "synthesizing" });
  });

  it("keeps following through a failed poll, and gives up when the job is gone", async () => {
    const { turns, api } = setup();
    api.job.mockRejectedValueOnce(new TypeError("Failed to fetch")).mockRejectedValue(new VoiceTurnError("not_found", "no such voice job"));
    await sendOne(turns);
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(turns.state).toEqual({ phase: "working", step: "queued" });
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(turns.state).toEqual({ phase: "problem", problem: "notProcessed" });
  });

  it("gives up on a job that never finishes", async () => {
    const { turns } = setup({ giveUpMs: 10 * POLL_MS });
    await sendOne(turns);
    await vi.advanceTimersByTimeAsync(12 * POLL_MS);
    expect(turns.state).toEqual({ phase: "problem", problem: "notProcessed" });
  });

  it("says so when the job failed, and records again on the next press", async () => {
    const { turns, counts } = setup();
    await sendOne(turns);
    turns.frame(frame("failed", { error: "no speech was recognized in the recording" }));
    expect(turns.state).toEqual({ phase: "problem", problem: "notProcessed" });
    await turns.toggle();
    expect(turns.state).toEqual({ phase: "recording" });
    expect(counts.opened).toBe(2);
  });

  it("says the answer is in the chat when only the speech failed", async () => {
    const { turns } = setup();
    await sendOne(turns);
    turns.frame(frame("failed", { transcript: "hello", reply: "Hi!", error: "speech synthesis failed after 4 attempts" }));
    expect(turns.state).toEqual({ phase: "problem", problem: "notPlayed" });
  });

  it("tells a blocked microphone from a missing one", async () => {
    const blocked = setup({ microphone: fakeMicrophone(() => Promise.reject(Object.assign(new Error("denied"), { name: "NotAllowedError" }))).microphone });
    await blocked.turns.toggle();
    expect(blocked.turns.state).toEqual({ phase: "problem", problem: "blocked" });
    const missing = setup({ microphone: fakeMicrophone(() => Promise.reject(Object.assign(new Error("none"), { name: "NotFoundError" }))).microphone });
    await missing.turns.toggle();
    expect(missing.turns.state).toEqual({ phase: "problem", problem: "microphone" });
  });

  it("turns refusals of the upload into polite problems", async () => {
    const cases: Array<[unknown, string]> = [
      [new VoiceTurnError("rate_limited", "3 voice turns are still in progress", 5), "busy"],
      [new VoiceTurnError("payload_too_large", "over 5 MB"), "tooLong"],
      [new VoiceTurnError("unavailable", "voice is not configured"), "notSent"],
      [new TypeError("Failed to fetch"), "notSent"],
    ];
    for (const [error, problem] of cases) {
      const { turns, api } = setup();
      api.send.mockRejectedValue(error);
      await sendOne(turns);
      expect(turns.state).toEqual({ phase: "problem", problem });
    }
  });

  it("says so when the reply cannot be played (autoplay refused, undecodable audio)", async () => {
    const { turns } = setup({ play: () => Promise.reject(new Error("NotAllowedError")) });
    await sendOne(turns);
    turns.frame(frame("done", done));
    await vi.advanceTimersByTimeAsync(0);
    expect(turns.state).toEqual({ phase: "problem", problem: "notPlayed" });
  });

  it("ignores presses while a turn is under way: one turn at a time", async () => {
    const { turns, counts } = setup();
    await sendOne(turns);
    await turns.toggle();
    expect(turns.state).toEqual({ phase: "working", step: "queued" });
    expect(counts.opened).toBe(1);
  });

  it("sends a recording by itself once it reaches the longest allowed", async () => {
    const { turns, sent, counts } = setup({ maxRecordingMs: 5_000 });
    await turns.toggle();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent).toHaveLength(1);
    expect(counts.released).toBe(1);
    expect(turns.state).toEqual({ phase: "working", step: "queued" });
  });

  it("drops a recording unsent when cancelled, also one whose microphone opens after the cancel", async () => {
    const { turns, sent, counts } = setup();
    await turns.toggle();
    turns.cancel();
    await vi.advanceTimersByTimeAsync(0);
    expect(counts.released).toBe(1);
    expect(turns.state).toEqual({ phase: "idle" });

    let grant: () => void = () => undefined;
    const slow = fakeMicrophone(() => new Promise<void>((resolve) => (grant = resolve)));
    const prompt = setup({ microphone: slow.microphone });
    const pressed = prompt.turns.toggle();
    expect(prompt.turns.state).toEqual({ phase: "starting" });
    prompt.turns.cancel();
    grant();
    await pressed;
    await vi.advanceTimersByTimeAsync(0);
    expect(slow.counts).toEqual({ opened: 1, released: 1 });
    expect(prompt.turns.state).toEqual({ phase: "idle" });
    expect(sent).toEqual([]);
  });

  it("releases the microphone and stops asking when the widget goes away", async () => {
    const { turns, api, counts } = setup();
    await turns.toggle();
    turns.stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(counts.released).toBe(1);
    const other = setup();
    await sendOne(other.turns);
    other.turns.stop();
    await vi.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(other.api.job).not.toHaveBeenCalled();
    expect(api.send).not.toHaveBeenCalled();
  });
});
