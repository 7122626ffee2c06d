/** Characters a link or host name may still grow by: text ending in one of them may be half a link. */
const LINKISH = /[A-Za-z0-9.:/@%?&=#_~+-]/;

/**
 * How much of a reply being written can be judged now: all of it but a trailing run of
 * link-like characters, which may be a host name still being typed ("shop.exa…").
 *
 * @example settledLength("Send them to evil.exa") // → 13 ("Send them to ")
 */
export function settledLength(text: string): number {
  let end = text.length;
  while (end > 0 && LINKISH.test(text.charAt(end - 1))) end--;
  return end;
}

/**
 * Lets a streamed reply out only once the text is checked: each offer releases the settled part
 * that passed `check` (a problem stops the stream before any of it is shown — an injected link to
 * a foreign host never reaches the user), checking again every `everyChars` new characters at
 * most, the first ones at once. `finish` releases the rest after the whole reply passed its
 * final check.
 *
 * @example
 * const release = new CheckedRelease((text) => (text.includes("evil.example") ? "link_not_allowed" : null), show);
 * release.offer("See evil.exa"); // shows "See ", holds "evil.exa"
 * release.offer("See evil.example now"); // → "link_not_allowed", shows nothing more
 */
export class CheckedRelease {
  private released = 0;

  constructor(
    private readonly check: (prefix: string) => string | null,
    private readonly send: (text: string) => void,
    private readonly everyChars = 24,
  ) {}

  /** The reply so far; answers a problem to stop on, or null. */
  offer(soFar: string): string | null {
    const end = settledLength(soFar);
    if (end <= this.released || (this.released > 0 && end - this.released < this.everyChars)) return null;
    const problem = this.check(soFar.slice(0, end));
    if (problem !== null) return problem;
    this.send(soFar.slice(this.released, end));
    this.released = end;
    return null;
  }

  /** The whole reply, checked: what was held back goes out. */
  finish(text: string): void {
    if (text.length > this.released) this.send(text.slice(this.released));
    this.released = text.length;
  }
}
