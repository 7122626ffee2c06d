import type { Page } from "playwright-core";

/** What the widget's message log went through while recorded. */
export interface LogRecord {
  /**
   * What a polite `role="log"` region with `aria-relevant="additions"` hands to a screen
   * reader: the text of every node added to it, outside `aria-hidden` subtrees, in order.
   */
  announced: string[];
  /** The streamed reply's bubble text after each change, consecutive repeats left out. */
  streamed: string[];
  /** How many different elements showed a streamed reply. */
  streamElements: number;
}

/** The DOM the recorder touches (the tests are typed without the DOM library). */
interface DomNode {
  nodeType: number;
  textContent: string | null;
  parentElement: DomElement | null;
  childNodes: ArrayLike<DomNode>;
}
interface DomElement extends DomNode {
  shadowRoot: DomElement | null;
  closest(selector: string): DomElement | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
}
interface Mutation {
  target: DomNode;
  addedNodes: ArrayLike<DomNode>;
}
interface RecorderWindow {
  document: DomElement;
  MutationObserver: new (callback: (mutations: Mutation[]) => void) => { observe(target: DomElement, options: object): void };
  __parleyLog?: LogRecord;
}

/**
 * Starts recording the widget's message log in the page: what is added to it (what a screen
 * reader is told) and what the streamed reply's bubble shows. Read it with {@link readLog}.
 */
export async function recordLog(page: Page): Promise<void> {
  await page.evaluate(() => {
    const page = globalThis as unknown as RecorderWindow;
    const log = page.document.querySelector("[data-parley-widget]")?.shadowRoot?.querySelector("[role=log]");
    if (!log) throw new Error("no message log in the page");
    const record: LogRecord = { announced: [], streamed: [], streamElements: 0 };
    page.__parleyLog = record;
    const hidden = (node: DomNode): boolean => (node.nodeType === 1 ? (node as DomElement) : node.parentElement)?.closest("[aria-hidden=true]") != null;
    const spoken = (node: DomNode): string => {
      if (node.nodeType === 3) return node.textContent ?? "";
      if (node.nodeType !== 1 || (node as DomElement).getAttribute("aria-hidden") === "true") return "";
      return Array.from(node.childNodes, spoken).join("");
    };
    const seen: DomElement[] = [];
    new page.MutationObserver((mutations) => {
      for (const mutation of mutations) {
        if (hidden(mutation.target)) continue;
        for (const node of Array.from(mutation.addedNodes)) {
          const text = hidden(node) ? "" : spoken(node);
          if (text.length > 0) record.announced.push(text);
        }
      }
      const bubble = log.querySelector(".msg.streaming .bubble");
      if (!bubble) return;
      if (!seen.includes(bubble)) seen.push(bubble);
      record.streamElements = seen.length;
      const text = bubble.textContent ?? "";
      if (record.streamed.at(-1) !== text) record.streamed.push(text);
    }).observe(log, { childList: true, subtree: true, characterData: true });
  });
}

export function readLog(page: Page): Promise<LogRecord> {
  return page.evaluate(() => {
    const record = (globalThis as unknown as RecorderWindow).__parleyLog;
    if (!record) throw new Error("recordLog was not called on this page");
    return record;
  });
}
