import type { ChatClient } from "./core/chat-client.js";
import type { Microphone } from "./core/voice.js";
import { VoiceApi, recordingTypeFor } from "./core/voice.js";
import { VoiceTurns } from "./core/voice-turns.js";
import type { VoiceBar } from "./view/voice-bar.js";

const microphone: Microphone = {
  open: async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    return { stream, release: () => stream.getTracks().forEach((track) => track.stop()) };
  },
  recorder: (stream, mimeType) => new MediaRecorder(stream as MediaStream, { mimeType }),
};

/** The type this browser records in that the API takes, or null: no MediaRecorder, no getUserMedia (an http:// page), or only formats it refuses. */
function browserRecordingType(): string | null {
  if (typeof MediaRecorder === "undefined" || typeof navigator.mediaDevices?.getUserMedia !== "function") return null;
  return recordingTypeFor((type) => MediaRecorder.isTypeSupported(type));
}

/**
 * Shows the microphone when this browser can record and the endpoint says voice is available
 * to this token (no speech provider, or a token without the `voice` scope: no microphone).
 * It asks once the chat socket first opens, so the token exists and the network works.
 * Returns the teardown.
 */
export function setUpVoice(bar: VoiceBar, client: ChatClient, endpoint: string, token: () => Promise<string>): () => void {
  const mimeType = browserRecordingType();
  if (!mimeType) return () => undefined;
  const api = new VoiceApi({ baseUrl: endpoint, token });
  let teardown = (): void => undefined;
  let disposed = false;
  const unsubscribe = client.subscribe((state) => {
    if (state.status !== "open") return;
    unsubscribe();
    void api.capabilities().then((capabilities) => {
      if (!capabilities || disposed) return;
      const turns = new VoiceTurns({ api, microphone, mimeType, play: (audio) => bar.player.play(audio), onChange: (next) => bar.render(next) });
      const stopFrames = client.onVoice((frame) => turns.frame(frame));
      bar.enable({ toggle: () => void turns.toggle(), cancel: () => turns.cancel() });
      teardown = () => {
        stopFrames();
        turns.stop();
      };
    });
  });
  return () => {
    disposed = true;
    unsubscribe();
    teardown();
    bar.player.dispose();
  };
}
