/** The slice of the Web Storage API the widget uses, so its logic runs without a browser. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function memoryStore(): KeyValueStore {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

/**
 * Storage that never throws: Safari private mode, a full quota or a sandboxed iframe make
 * `localStorage` throw, and the chat must keep working then (in memory, for this page).
 */
export function resilientStore(open: () => KeyValueStore | null | undefined): KeyValueStore {
  const fallback = memoryStore();
  let store: KeyValueStore;
  try {
    store = open() ?? fallback;
  } catch {
    store = fallback;
  }
  const guard = <T>(use: (target: KeyValueStore) => T): T => {
    try {
      return use(store);
    } catch {
      store = fallback;
      return use(fallback);
    }
  };
  return {
    getItem: (key) => guard((target) => target.getItem(key)),
    setItem: (key, value) => guard((target) => target.setItem(key, value)),
    removeItem: (key) => guard((target) => target.removeItem(key)),
  };
}

/** Reads a JSON value written by {@link writeJson}; anything unreadable counts as absent. */
export function readJson(store: KeyValueStore, key: string): unknown {
  const raw = store.getItem(key);
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

export function writeJson(store: KeyValueStore, key: string, value: unknown): void {
  store.setItem(key, JSON.stringify(value));
}
