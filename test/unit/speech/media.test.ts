import { describe, expect, it } from "vitest";
import { inputAudioKey, replyAudioKey, userAudioPrefix } from "../../../src/speech/audio-keys.js";
import { base64Of, bytesOfBase64, contentTypeOfFormat, extensionOf } from "../../../src/speech/media.js";
import { VOICE_QUEUES, voiceMessageSchema, voiceQueueOf } from "../../../src/speech/messages.js";

describe("audio media helpers", () => {
  it("names files by type", () => {
    expect(extensionOf("audio/webm;codecs=opus")).toBe("webm");
    expect(extensionOf("audio/mpeg")).toBe("mp3");
    expect(extensionOf("application/x-unknown")).toBe("bin");
    expect(contentTypeOfFormat("mp3")).toBe("audio/mpeg");
    expect(contentTypeOfFormat("flac")).toBe("audio/flac");
  });

  it("round-trips base64, also above the spread limit", () => {
    const bytes = new Uint8Array(200_000).map((_, i) => i % 256);
    expect(Buffer.from(bytesOfBase64(base64Of(bytes))).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe("R2 layout", () => {
  it("keeps every file of a user under one prefix no other user id can reach", () => {
    expect(inputAudioKey("alice", "j1")).toBe("voice/alice/j1/input");
    expect(replyAudioKey("alice", "j1")).toBe("voice/alice/j1/reply");
    expect(userAudioPrefix("a/b")).toBe("voice/a%2Fb/");
    expect(inputAudioKey("a/b", "j").startsWith(userAudioPrefix("a"))).toBe(false);
  });
});

describe("queue messages", () => {
  it("names the queues and validates bodies", () => {
    expect(voiceQueueOf(VOICE_QUEUES.tts)).toBe("tts");
    expect(voiceQueueOf("other")).toBeNull();
    expect(voiceMessageSchema.safeParse({ v: 1, stage: "asr", userId: "u", jobId: "j" }).success).toBe(true);
    expect(voiceMessageSchema.safeParse({ v: 1, stage: "asr", userId: "u", jobId: "j", audio: [1] }).success).toBe(false);
  });
});
