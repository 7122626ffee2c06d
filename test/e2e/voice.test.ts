import type { IncomingMessage, Server } from "node:http";
import { createServer } from "node:http";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_SPEECH_API_KEY, FAKE_SPEECH_ORIGIN, createFakeOpenAiAudio } from "../fakes/openai-audio.js";
import { WidgetPage, launchBrowser } from "./helpers/browser.js";
import { DevServer, freePort } from "./helpers/dev-server.js";

/**
 * The speech provider: test/fakes' fake OpenAI audio server on a loopback port, as
 * docs/voice.md runs it for `npm run dev`. Its recognition is used as it is (a real recording
 * has no directive in it, so it "hears" "hello"); its speech is swapped for a real WAV tone,
 * since Chromium will not play the fake's text bytes and the test wants a reply that plays.
 */
class SpeechFake {
  readonly spoken: string[] = [];
  /** When set, recognition answers this 4xx: the job fails at once, as with unreadable audio. */
  refuseRecognition: number | null = null;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<SpeechFake> {
    const port = await freePort();
    const fake = createFakeOpenAiAudio();
    let self: SpeechFake | undefined;
    const server = createServer((incoming, outgoing) => {
      void answer(incoming, fake, self).then(async (response) => {
        outgoing.writeHead(response.status, Object.fromEntries(response.headers));
        outgoing.end(Buffer.from(await response.arrayBuffer()));
      });
    });
    await new Promise<void>((done) => server.listen(port, "127.0.0.1", done));
    self = new SpeechFake(server, `http://127.0.0.1:${port}`);
    return self;
  }

  stop(): Promise<void> {
    return new Promise((done) => this.server.close(() => done()));
  }
}

async function answer(incoming: IncomingMessage, fake: (request: Request) => Promise<Response | null>, state: SpeechFake | undefined): Promise<Response> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  const request = new Request(`${FAKE_SPEECH_ORIGIN}${incoming.url ?? "/"}`, {
    method: incoming.method ?? "GET",
    headers,
    body: hasBody ? Buffer.concat(chunks) : null,
  });
  if (state?.refuseRecognition && request.url.endsWith("/audio/transcriptions")) {
    return Response.json({ error: { message: "unreadable audio (on purpose)", type: "fake_error" } }, { status: state.refuseRecognition });
  }
  const input = request.url.endsWith("/audio/speech") ? ((await request.clone().json()) as { input?: string }).input : undefined;
  const response = (await fake(request)) ?? new Response("not found", { status: 404 });
  if (input === undefined || !response.ok) return response;
  state?.spoken.push(input);
  return new Response(toneWav(0.6), { headers: { "content-type": "audio/wav" } });
}

/** A 16-bit mono PCM WAV of a 440 Hz tone: something a browser really decodes and plays. */
function toneWav(seconds: number, rate = 16_000): Buffer {
  const data = Buffer.alloc(Math.round(seconds * rate) * 2);
  for (let i = 0; i < data.length / 2; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8_000), i * 2);
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write("data", 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Chromium as launchBrowser() starts it, plus a fake microphone that is granted without a prompt. */
function launchWithMicrophone(): Promise<Browser> {
  return launchBrowser(["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]);
}

interface AudioState {
  src: string;
  played: number;
  error: number | null;
}

/** The reply player's state, read inside the widget's shadow root. */
function audioState(page: Page): Promise<AudioState | null> {
  return page.locator("[data-parley-widget]").evaluate((host: { shadowRoot: { querySelector(selector: string): unknown } | null }) => {
    const audio = host.shadowRoot?.querySelector("audio") as { src: string; played: { length: number }; error: { code: number } | null } | null;
    return audio ? { src: audio.src, played: audio.played.length, error: audio.error?.code ?? null } : null;
  });
}

const voiceNote = (page: Page): Locator => page.locator(".voice-note");

describe("voice turns in the widget (wrangler dev + Chromium with a fake microphone)", () => {
  let speech: SpeechFake;
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    speech = await SpeechFake.start();
    [server, browser] = await Promise.all([
      DevServer.launch({ SPEECH_PROVIDER: "openai", SPEECH_BASE_URL: speech.url, SPEECH_API_KEY: FAKE_SPEECH_API_KEY }),
      launchWithMicrophone(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
    await speech?.stop();
  });

  it("records from the keyboard, shows the transcript and the reply, and plays the spoken reply", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const widget = await WidgetPage.open(context, server.url);
    const mic = widget.page.getByRole("button", { name: "Record a voice message" });
    await mic.waitFor({ timeout: 15_000 });
    expect(await mic.getAttribute("aria-pressed")).toBe("false");

    // From the message box, Tab reaches the microphone; Enter starts and stops the recording.
    await widget.input.focus();
    await widget.page.keyboard.press("Tab");
    await expect.poll(() => WidgetPage.hasFocus(mic)).toBe(true);
    await widget.page.keyboard.press("Enter");
    await expect.poll(() => mic.getAttribute("aria-pressed")).toBe("true");
    expect(await voiceNote(widget.page).textContent()).toMatch(/^Recording/);
    await widget.page.waitForTimeout(1_000);
    await widget.page.keyboard.press("Enter");
    await expect.poll(() => mic.getAttribute("aria-pressed")).toBe("false");

    await widget.waitForConfirmed(2, 30_000);
    expect(await widget.bubbleTexts("user")).toEqual(["hello"]);
    expect((await widget.bubbleTexts("bot"))[0]).toMatch(/shoe shop assistant/);

    await expect.poll(async () => (await audioState(widget.page))?.played ?? 0, { timeout: 15_000 }).toBeGreaterThan(0);
    const audio = await audioState(widget.page);
    expect(audio?.src).toMatch(/^blob:/);
    expect(audio?.error).toBeNull();
    expect(speech.spoken.at(-1)).toMatch(/shoe shop assistant/);
    await expect.poll(() => voiceNote(widget.page).textContent()).toBe("");
    expect(await mic.getAttribute("aria-disabled")).toBeNull();

    // The turn went through the same history as a typed one.
    const history = await fetch(`${server.url}/v1/conversation/messages`, { headers: { authorization: `Bearer ${await widget.guestToken()}` } });
    const messages = ((await history.json()) as { messages: Array<{ role: string; text: string }> }).messages;
    expect(messages.map((message) => message.role)).toEqual(["user", "bot"]);
    expect(messages[0]?.text).toBe("hello");
    await context.close();
  });

  it("says politely, in Chinese, when the recording could not be processed", async () => {
    speech.refuseRecognition = 400;
    try {
      const context = await browser.newContext({ locale: "zh-CN" });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.getByRole("button", { name: "打开聊天" }).click();
      const mic = page.getByRole("button", { name: "录制语音消息" });
      await mic.waitFor({ timeout: 15_000 });
      await mic.click();
      await expect.poll(() => mic.getAttribute("aria-pressed")).toBe("true");
      await page.waitForTimeout(500);
      await mic.click();
      await expect.poll(() => voiceNote(page).textContent(), { timeout: 15_000 }).toBe("抱歉，语音消息无法处理。请重试或直接输入文字。");
      expect(await page.getByRole("log").locator(".msg").count()).toBe(0);
      expect(await mic.getAttribute("aria-disabled")).toBeNull();
      await context.close();
    } finally {
      speech.refuseRecognition = null;
    }
  });
});

describe("the widget without voice configured", () => {
  let server: DevServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([DevServer.launch(), launchWithMicrophone()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.dispose();
  });

  it("shows no microphone, even to a browser that could record", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    const capabilities = page.waitForResponse((response) => new URL(response.url()).pathname === "/v1/voice");
    await page.goto(server.url);
    const widget = new WidgetPage(page);
    await widget.openChat();
    expect(await (await capabilities).json()).toMatchObject({ available: false });
    await widget.send("hello");
    await widget.waitForConfirmed(2);
    expect(await page.getByRole("button", { name: "Record a voice message" }).count()).toBe(0);
    expect(await page.locator("button.mic").isHidden()).toBe(true);
    await context.close();
  });
});
