import { ChatClient } from "./core/chat-client.js";
import type { SocketFactory } from "./core/connection.js";
import type { TokenSource } from "./core/session.js";
import { GuestSession } from "./core/session.js";
import { resilientStore } from "./core/storage.js";
import { STRINGS, resolveLocale } from "./core/strings.js";
import type { ColorScheme } from "./view/chat-view.js";
import { ChatView } from "./view/chat-view.js";
import { setUpVoice } from "./voice-setup.js";

export type SchemeOption = ColorScheme | "auto";

export interface ThemeOptions {
  scheme?: SchemeOption;
  /** `--parley-*` custom properties set on the widget, e.g. `{ "--parley-accent": "#0a7" }`. */
  properties?: Record<string, string>;
}

export interface MountOptions {
  /** Origin of the Parley Worker, e.g. "https://chat.example.com". */
  endpoint: string;
  /** Supplies the user's JWT (scope `chat`); without it the widget is a guest. */
  getToken?: TokenSource;
  /** "en" or "zh"; by default the browser's language. */
  locale?: string;
  theme?: SchemeOption | ThemeOptions;
  /** Where the widget's host element goes (default: `document.body`). */
  container?: HTMLElement;
  /** Open the panel at once. */
  open?: boolean;
}

export interface ParleyWidget {
  open(): void;
  close(): void;
  send(text: string): void;
  destroy(): void;
}

/**
 * Puts the chat widget on the page.
 *
 * @example
 * Parley.mount({ endpoint: "https://chat.example.com", locale: "zh", theme: "auto" });
 */
export function mount(options: MountOptions): ParleyWidget {
  const endpoint = new URL(options.endpoint, location.href).origin;
  const outboxKey = `parley:outbox:${endpoint}`;
  const { client, token } = createClient(options, endpoint, outboxKey);
  const host = document.createElement("div");
  host.setAttribute("data-parley-widget", "");
  const view = new ChatView(host.attachShadow({ mode: "open" }), STRINGS[resolveLocale(options.locale, navigator.languages ?? [])], {
    send: (text) => void client.send(text),
  });
  const stopTheme = applyTheme(host, view, options.theme);
  client.subscribe((state) => view.render(state));
  attachWhenReady(host, options.container);
  const stopListening = followBrowser(client, outboxKey);
  const stopVoice = setUpVoice(view.voice, client, endpoint, token);
  client.start();
  if (options.open) view.open();

  return {
    open: () => view.open(),
    close: () => view.close(),
    send: (text) => void client.send(text),
    destroy: () => {
      client.stop();
      stopVoice();
      stopTheme();
      stopListening();
      host.remove();
    },
  };
}

/** The chat client, and the token source it uses (the voice requests send the same token). */
function createClient(options: MountOptions, endpoint: string, outboxKey: string): { client: ChatClient; token: () => Promise<string> } {
  const store = resilientStore(() => window.localStorage);
  const getToken = options.getToken;
  const guest = getToken ? null : new GuestSession(endpoint, store);
  const token = getToken ? async () => String(await getToken()) : () => (guest as GuestSession).token();
  const client = new ChatClient({
    url: `${endpoint.replace(/^http/, "ws")}/v1/ws`,
    token,
    openSocket: browserSocket,
    store,
    outboxKey,
    // The server refused the guest token: a reload starts as a new guest instead of failing again.
    onEnded: () => guest?.forget(),
  });
  return { client, token };
}

/** Network, tab visibility and the other tabs' outbox changes drive the connection; returns the unsubscribe. */
function followBrowser(client: ChatClient, outboxKey: string): () => void {
  const control = client.connectionControl;
  const onNetwork = () => control.setOnline(navigator.onLine);
  const onVisibility = () => control.setVisible(document.visibilityState === "visible");
  const onStorage = (event: StorageEvent) => event.key === outboxKey && client.refresh();
  window.addEventListener("online", onNetwork);
  window.addEventListener("offline", onNetwork);
  window.addEventListener("storage", onStorage);
  document.addEventListener("visibilitychange", onVisibility);
  if (!navigator.onLine) control.setOnline(false);
  return () => {
    window.removeEventListener("online", onNetwork);
    window.removeEventListener("offline", onNetwork);
    window.removeEventListener("storage", onStorage);
    document.removeEventListener("visibilitychange", onVisibility);
  };
}

/** Sets the host's `--parley-*` properties and the colour scheme; returns the unsubscribe. */
function applyTheme(host: HTMLElement, view: ChatView, option: MountOptions["theme"]): () => void {
  const theme = typeof option === "object" ? option : { scheme: option ?? "auto" };
  for (const [name, value] of Object.entries(theme.properties ?? {})) {
    if (name.startsWith("--parley-")) host.style.setProperty(name, value);
  }
  return followScheme(theme.scheme ?? "auto", (scheme) => view.setScheme(scheme));
}

/** `mount()` may run from a script in `<head>`, before there is a body to attach to. */
function attachWhenReady(host: HTMLElement, container: HTMLElement | undefined): void {
  const target = container ?? document.body;
  if (target) target.append(host);
  else document.addEventListener("DOMContentLoaded", () => document.body.append(host), { once: true });
}

const browserSocket: SocketFactory = (url, protocols, handlers) => {
  const socket = new WebSocket(url, protocols);
  socket.onopen = () => handlers.open();
  socket.onmessage = (event) => handlers.message(event.data);
  socket.onclose = (event) => handlers.close(event.code, event.reason);
  return socket;
};

/** Applies a fixed scheme, or follows the system's light/dark setting; returns the unsubscribe. */
function followScheme(option: SchemeOption, apply: (scheme: ColorScheme) => void): () => void {
  if (option !== "auto") {
    apply(option);
    return () => undefined;
  }
  const query = window.matchMedia("(prefers-color-scheme: dark)");
  const update = () => apply(query.matches ? "dark" : "light");
  update();
  query.addEventListener("change", update);
  return () => query.removeEventListener("change", update);
}
