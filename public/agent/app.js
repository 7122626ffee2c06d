// @ts-check
// The agent inbox (/agent, issue 21): sign in with an agent token, say whether you are online,
// watch queues (one live socket each), claim waiting conversations and answer them.
// Static (served from public/agent by Workers Static Assets); no framework, no build step.
import { AgentApi, AgentApiError } from "./api.js";
import { Desk } from "./desk.js";
import { byId, setText } from "./dom.js";
import { BOT_ID, QUEUE_NAME, queueKey, tokenClaims } from "./format.js";
import { QueueSection } from "./line-view.js";
import { QueueSocket } from "./queue-socket.js";
import { SessionStore } from "./session-store.js";

/**
 * @typedef {import("./api.js").AgentFrame} AgentFrame
 * @typedef {import("./session-store.js").QueueRef} QueueRef
 * @typedef {{ ref: QueueRef, section: QueueSection, socket: QueueSocket, gotLine: boolean }} Watched
 */

const store = new SessionStore(sessionStorage);
const api = new AgentApi(() => store.token);
/** @type {Map<string, Watched>} */
const watched = new Map();
/** @type {ReturnType<typeof setInterval> | undefined} */
let ticker;

const selfId = () => tokenClaims(store.token ?? "").sub ?? "";

const desk = new Desk({
  api,
  store,
  selfId,
  announce,
  send: (bot, queue, frame) => watched.get(queueKey(bot, queue))?.socket.send(frame) ?? false,
  queuesOf: (bot) => [...watched.values()].filter((known) => known.ref.bot === bot).map((known) => known.ref.queue),
  signedOut: (message) => signOut(`That token is no longer accepted: ${message}`),
  nav: byId("held-list"),
  panels: byId("held-panels"),
  empty: byId("desk-empty"),
  heading: byId("desk-heading"),
});

/** @param {string} text said by screen readers (the page's one polite announcer) */
function announce(text) {
  const announcer = byId("announcer");
  // The same sentence twice in a row is still announced twice.
  announcer.textContent = "";
  setTimeout(() => void (announcer.textContent = text), 50);
}

/** A token from the URL fragment (#token=…) is taken once and removed from the address bar and history. */
function tokenFromFragment() {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return;
  store.token = decodeURIComponent(match[1]);
  history.replaceState(null, "", location.pathname + location.search);
}

async function start() {
  tokenFromFragment();
  if (!store.token) return showLogin();
  const first = store.queues[0];
  if (first) {
    try {
      await api.queue(first.bot, first.queue);
    } catch (error) {
      if (error instanceof AgentApiError && (error.status === 401 || error.status === 403)) {
        store.token = null;
        return showLogin(`${error.status === 401 ? "That token was not accepted" : "That token lacks the agent scope"}: ${error.message}`);
      }
      // Anything else (an unknown queue, no network) is shown by that queue's section.
    }
  }
  showInbox();
  for (const ref of store.queues) watch(ref);
}

/** @param {string} [message] */
function showLogin(message = "") {
  byId("inbox").hidden = true;
  byId("presence").hidden = true;
  byId("forget").hidden = true;
  byId("login").hidden = false;
  setText(byId("login-error"), message);
  setText(byId("signed-in"), "not signed in");
  /** @type {HTMLInputElement} */ (byId("token")).focus();
}

function showInbox() {
  const claims = tokenClaims(store.token ?? "");
  byId("login").hidden = true;
  byId("inbox").hidden = false;
  byId("presence").hidden = false;
  byId("forget").hidden = false;
  setText(byId("signed-in"), `Signed in as ${claims.name ?? claims.sub ?? "an agent"}${claims.name && claims.sub ? ` (${claims.sub})` : ""}`);
  for (const radio of document.querySelectorAll("input[name=presence]")) {
    const input = /** @type {HTMLInputElement} */ (radio);
    input.checked = input.value === store.presence;
  }
  clearInterval(ticker);
  ticker = setInterval(() => {
    for (const known of watched.values()) known.section.tick(Date.now());
  }, 1000);
}

/** @param {string} message */
function signOut(message) {
  for (const known of watched.values()) {
    known.socket.stop();
    known.section.destroy();
  }
  watched.clear();
  desk.clear();
  clearInterval(ticker);
  store.token = null;
  showLogin(message);
}

/**
 * Starts watching a queue: its section, its waiting line, its socket.
 * @param {QueueRef} ref
 */
function watch(ref) {
  const key = queueKey(ref.bot, ref.queue);
  if (watched.has(key)) return;
  const section = new QueueSection(ref, { claim: (entryId) => void claim(ref, entryId), remove: () => unwatch(ref) });
  const socket = new QueueSocket({
    ...ref,
    token: () => store.token,
    onOpen: () => {
      if (store.presence === "away") socket.send({ type: "presence", status: "away" });
      desk.reconnected(ref.bot, ref.queue);
    },
    onFrame: (frame) => received(known, /** @type {AgentFrame} */ (/** @type {unknown} */ (frame))),
    onStatus: (status, detail) => {
      section.setStatus(status, detail);
      if (status === "signed-out" && detail !== "no token") signOut(`That token is no longer accepted: ${detail}`);
    },
  });
  /** @type {Watched} */
  const known = { ref, section, socket, gotLine: false };
  watched.set(key, known);
  byId("queue-list").append(section.element);
  desk.queuesChanged(ref.bot);
  void firstLook(known);
}

/**
 * The queue's view over REST before the socket's first frames: an unknown queue is said at
 * once (and not retried), and the line shows even where sockets are slow to come up.
 * @param {Watched} known
 */
async function firstLook(known) {
  const { ref, section, socket } = known;
  try {
    const view = await api.queue(ref.bot, ref.queue);
    if (!known.gotLine) {
      section.setLine(view.line, Date.now());
      section.setStats(view.stats);
    }
    desk.sync(ref.bot, ref.queue, view.held);
  } catch (error) {
    if (error instanceof AgentApiError && error.status === 404) {
      section.setStatus("signed-out", "no such queue");
      return section.notice(error.message);
    }
    if (error instanceof AgentApiError && error.status === 401) return signOut(`That token is no longer accepted: ${error.message}`);
  }
  if (watched.get(queueKey(ref.bot, ref.queue)) === known) socket.start();
}

/** @param {QueueRef} ref */
function unwatch(ref) {
  const key = queueKey(ref.bot, ref.queue);
  const known = watched.get(key);
  if (!known) return;
  if (desk.holds(ref.bot, ref.queue)) {
    return known.section.notice("You hold conversations in this queue: end or transfer them before you stop watching it.");
  }
  known.socket.stop();
  known.section.destroy();
  watched.delete(key);
  store.queues = store.queues.filter((other) => queueKey(other.bot, other.queue) !== key);
  desk.queuesChanged(ref.bot);
  announce(`Stopped watching ${ref.bot} / ${ref.queue}.`);
  byId("add-queue-name").focus();
}

/**
 * @param {Watched} known
 * @param {AgentFrame} frame
 */
function received(known, frame) {
  const { ref, section } = known;
  const now = Date.now();
  switch (frame.type) {
    case "line":
      known.gotLine = true;
      section.setLine(frame.entries, now);
      section.setStats(frame.stats);
      return;
    case "entry":
      if (!frame.entry) return section.remove(frame.entryId);
      if (!section.has(frame.entryId)) announce(`A conversation is waiting in ${ref.bot} / ${ref.queue}.`);
      return section.upsert(frame.entry, now);
    case "held":
      return desk.sync(ref.bot, ref.queue, frame.entries);
    case "message":
      return desk.userMessage(frame.entryId, frame.message);
    case "claimed":
      if (frame.agent.id !== selfId()) section.remove(frame.entryId);
      return;
    case "released":
      return desk.released(frame.entryId, frame.reason);
    case "noted":
      return desk.noted(frame.entryId, frame.note);
    case "error":
      // A lost typing indicator or a stale action: the REST answers say what matters.
      if (!frame.entryId) section.notice(frame.message);
      return;
  }
}

/**
 * Claims a waiting conversation; exactly one agent gets it.
 * @param {QueueRef} ref
 * @param {string} entryId
 */
async function claim(ref, entryId) {
  const known = watched.get(queueKey(ref.bot, ref.queue));
  if (!known) return;
  known.section.claiming(entryId, true);
  try {
    const { entry } = await api.claim(ref.bot, ref.queue, entryId);
    known.section.remove(entryId);
    known.section.notice("");
    desk.add(ref.bot, ref.queue, entry, true);
    announce(`You claimed a conversation from ${ref.bot} / ${ref.queue}. It is open under Your conversations.`);
  } catch (error) {
    known.section.claiming(entryId, false);
    if (error instanceof AgentApiError && error.status === 409) {
      known.section.notice("Someone else took it: that conversation was claimed by another agent.");
      known.section.remove(entryId);
    } else if (error instanceof AgentApiError && error.status === 401) {
      signOut(`That token is no longer accepted: ${error.message}`);
    } else {
      known.section.notice(`Not claimed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function bindControls() {
  byId("login").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = /** @type {HTMLInputElement} */ (byId("token"));
    store.token = input.value.trim();
    input.value = "";
    void start();
  });
  byId("forget").addEventListener("click", () => signOut(""));
  byId("presence").addEventListener("change", (event) => {
    const input = /** @type {HTMLInputElement} */ (event.target);
    const presence = input.value === "away" ? "away" : "online";
    store.presence = presence;
    for (const known of watched.values()) known.socket.send({ type: "presence", status: presence });
    announce(presence === "away" ? "You are away: other agents see you as not available." : "You are online.");
  });
  byId("add-queue").addEventListener("submit", (event) => {
    event.preventDefault();
    addQueue();
  });
  window.addEventListener("online", () => desk.retryAll());
}

function addQueue() {
  const bot = /** @type {HTMLInputElement} */ (byId("add-bot")).value.trim();
  const queueInput = /** @type {HTMLInputElement} */ (byId("add-queue-name"));
  const queue = queueInput.value.trim();
  const error = byId("add-queue-error");
  if (!BOT_ID.test(bot)) return setText(error, "A bot id is 1–64 of A–Z, a–z, 0–9, '.', '_' and '-'.");
  if (!QUEUE_NAME.test(queue)) return setText(error, "A queue name starts with a letter or '_' and has only letters, digits and '_'.");
  if (watched.has(queueKey(bot, queue))) return setText(error, `You already watch ${bot} / ${queue}.`);
  setText(error, "");
  store.queues = [...store.queues, { bot, queue }];
  watch({ bot, queue });
  queueInput.value = "";
  announce(`Watching ${bot} / ${queue}.`);
}

bindControls();
void start();
