import { describe, expect, it } from "vitest";
import type { OfficeHours } from "../../../src/handoff/office-hours.js";
import { isWithinOfficeHours, localTimeOf } from "../../../src/handoff/office-hours.js";

// 2026-12-07 is a Monday.
const utc = (iso: string) => Date.parse(`${iso}Z`);

describe("office hours", () => {
  const hours: OfficeHours = { timeZone: "Asia/Shanghai", open: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "18:00" }] };

  it("reads the wall clock of the bot's time zone", () => {
    expect(localTimeOf(utc("2026-12-07T01:30:00"), "Asia/Shanghai")).toEqual({ day: "mon", minutes: 9 * 60 + 30 });
    expect(localTimeOf(utc("2026-12-07T01:30:00"), "America/New_York")).toEqual({ day: "sun", minutes: 20 * 60 + 30 });
  });

  it("is open from `from` up to, not including, `to` on the listed days", () => {
    expect(isWithinOfficeHours(hours, utc("2026-12-07T01:00:00"))).toBe(true); // Mon 09:00 in Shanghai
    expect(isWithinOfficeHours(hours, utc("2026-12-07T00:59:00"))).toBe(false); // Mon 08:59
    expect(isWithinOfficeHours(hours, utc("2026-12-07T10:00:00"))).toBe(false); // Mon 18:00
    expect(isWithinOfficeHours(hours, utc("2026-12-06T03:00:00"))).toBe(false); // Sun 11:00
  });

  it("a range past midnight runs into the next morning", () => {
    const night: OfficeHours = { timeZone: "UTC", open: [{ days: ["fri"], from: "22:00", to: "06:00" }] };
    expect(isWithinOfficeHours(night, utc("2026-12-11T23:00:00"))).toBe(true); // Fri 23:00
    expect(isWithinOfficeHours(night, utc("2026-12-12T05:59:00"))).toBe(true); // Sat 05:59
    expect(isWithinOfficeHours(night, utc("2026-12-12T06:00:00"))).toBe(false);
    expect(isWithinOfficeHours(night, utc("2026-12-10T23:00:00"))).toBe(false); // Thu night
  });

  it("equal ends are a whole day; no office hours is always open", () => {
    const allDay: OfficeHours = { timeZone: "Europe/Berlin", open: [{ days: ["sat"], from: "00:00", to: "00:00" }] };
    expect(isWithinOfficeHours(allDay, utc("2026-12-12T22:59:00"))).toBe(true); // Sat 23:59 in Berlin
    expect(isWithinOfficeHours(allDay, utc("2026-12-12T23:00:00"))).toBe(false); // Sun 00:00
    expect(isWithinOfficeHours(undefined, 0)).toBe(true);
  });
});
