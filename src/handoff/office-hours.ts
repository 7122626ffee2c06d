import type { HandoffDef } from "../dialog/schema.js";

export type OfficeHours = NonNullable<HandoffDef["officeHours"]>;
type Weekday = OfficeHours["open"][number]["days"][number];

const WEEKDAYS: readonly Weekday[] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** Where a wall clock stands in a time zone: the weekday and minutes since its midnight. */
export interface LocalTime {
  day: Weekday;
  minutes: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The weekday and time of day at `at` (epoch ms) in `timeZone` (an IANA name); throws RangeError for an unknown zone. */
export function localTimeOf(at: number, timeZone: string): LocalTime {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  const day = WEEKDAYS.find((weekday) => weekday === String(parts["weekday"]).slice(0, 3).toLowerCase());
  if (!day) throw new RangeError(`no weekday for ${timeZone}`);
  return { day, minutes: (Number(parts["hour"]) % 24) * 60 + Number(parts["minute"]) };
}

function minutesOf(clock: string): number {
  const [hours, minutes] = clock.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

function previousDay(day: Weekday): Weekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + 6) % 7] ?? day;
}

/**
 * Whether agents work at `at`. No office hours: always. A range is [from, to) on each of its
 * days; a range whose `to` is not after its `from` runs past midnight into the next day
 * ("22:00"–"06:00" on fri covers Friday night and Saturday until 06:00); equal ends are 24 hours
 * ("00:00"–"00:00": the whole day).
 *
 * @example
 * isWithinOfficeHours({ timeZone: "Asia/Shanghai", open: [{ days: ["mon"], from: "09:00", to: "18:00" }] }, at);
 */
export function isWithinOfficeHours(hours: OfficeHours | undefined, at: number): boolean {
  if (!hours) return true;
  const { day, minutes } = localTimeOf(at, hours.timeZone);
  return hours.open.some((range) => {
    const from = minutesOf(range.from);
    const to = minutesOf(range.to);
    if (from < to) return range.days.includes(day) && minutes >= from && minutes < to;
    return (range.days.includes(day) && minutes >= from) || (range.days.includes(previousDay(day)) && minutes < to);
  });
}
