import { describe, expect, it } from "vitest";
import { voiceContentTypeOf, voiceJobParamsSchema } from "../../../src/protocol/voice.js";

describe("voiceContentTypeOf", () => {
  it("accepts the four audio types, with parameters and in any case", () => {
    expect(voiceContentTypeOf("audio/wav")).toBe("audio/wav");
    expect(voiceContentTypeOf("audio/webm;codecs=opus")).toBe("audio/webm");
    expect(voiceContentTypeOf("Audio/OGG; codecs=opus")).toBe("audio/ogg");
    expect(voiceContentTypeOf("audio/mpeg")).toBe("audio/mpeg");
  });

  it("maps the usual aliases", () => {
    expect(voiceContentTypeOf("audio/x-wav")).toBe("audio/wav");
    expect(voiceContentTypeOf("audio/mp3")).toBe("audio/mpeg");
  });

  it("refuses everything else", () => {
    for (const type of [undefined, null, "", "application/json", "audio/flac", "video/webm", "audio/*", "multipart/form-data; boundary=x"]) {
      expect(voiceContentTypeOf(type)).toBeNull();
    }
  });
});

describe("voiceJobParamsSchema", () => {
  it("admits UUIDs only", () => {
    expect(voiceJobParamsSchema.safeParse({ jobId: crypto.randomUUID() }).success).toBe(true);
    expect(voiceJobParamsSchema.safeParse({ jobId: "../other-user" }).success).toBe(false);
  });
});
