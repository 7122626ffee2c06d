/**
 * Postal addresses inside a message, Chinese and English. An address counts when it names a
 * street-level place with a number — a district or a city alone does not:
 *
 * Chinese
 * - a road (`路`, `街`, `大街`, `大道`, `巷`, `胡同`), perhaps a section (`四段`), then a house
 *   number and `号`, `弄` or `巷`: `建国路88号`, `世纪大道100号`, `南京西路1266弄`, `建国路八十八号`,
 *   `人民南路四段8号`; or an estate or building (`小区`, `花园`, `公寓`, `大厦`, `广场`, `苑`,
 *   `村`…) then a numbered building: `阳光花园3号楼`, `望京小区5栋`;
 * - with what is written before it in the same clause (`北京市朝阳区`), back to a cue (`改成`,
 *   `地址是`, `寄到`, `住在`, `在`…), a run of 7+ digits or punctuation, at most 40 characters;
 *   divisions separated by spaces (`北京市 朝阳区 建国路88号`) count too;
 * - with what follows it: building, unit, floor and room (`3号楼2单元501室`).
 *
 * English
 * - a house number (`12`, `221B`, `12-14`, `No. 88`), one to four words and a street type
 *   (`Street`, `St`, `Road`, `Avenue`, `Lane`, `Drive`, `Way`, `Court`, `Place`, `Square`…), with
 *   an optional flat, unit, room or suite before it and up to four comma-separated parts after it
 *   (town, district, postcode): `12 Baker Street, London NW1 6XE`, `Flat 3, Rose Court, Leeds`;
 * - after `address is`, `address:`, `address to`, `address should be`: the text from a house
 *   number to the end of the sentence (`address is 88 Jianguo Rd Beijing`).
 *
 * Not recognised: a place without a house number (`Rosebank Cottage, Edinburgh`, `北京市朝阳区`,
 * `东闾村`). Typed at the address prompt, such an answer is sealed all the same: it is the value
 * of a sensitive slot. Runs on NFKC-normalised text; case does not matter.
 */

export interface AddressMatch {
  start: number;
  end: number;
  value: string;
}

const STOP = String.raw`(?:and|or|but|please|pls|thanks|thank|my|your|i|i'm|im|me|it|is|are|was|on|in|at|to|for|of|by|from|with|call|phone|mobile|number|tel|order|size|so|then|if|do|does|can|could|would|will)`;
const WORD = String.raw`(?!${STOP}\b)[a-z][a-z'.-]*`;
const TOKEN = String.raw`(?!${STOP}\b)[a-z0-9][a-z0-9'.-]*`;
const UNIT = String.raw`\b(?:flat|apt\.?|apartment|unit|suite|ste\.?|room|rm\.?|floor|fl\.?)[ \t]*#?[ \t]*[a-z0-9]{1,6}(?:-[a-z0-9]{1,4})?[ \t]*,?[ \t]*`;
const HOUSE = String.raw`(?:no\.?[ \t]*)?\d{1,5}[a-z]?(?:[ \t]*[-/][ \t]*\d{1,5}[a-z]?)?`;
const STREET_TYPE = String.raw`(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|square|sq|terrace|crescent|close|gardens|grove|parkway|highway|hwy|row|walk|mews|hill|circle|park|quay|wharf)\b\.?`;
const DIRECTION = String.raw`(?:[ \t]+(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\b)?`;
/** A locality word never begins another street address ("1 Baker Street, hi 1 Baker Street" is two). */
const NOT_NEXT_STREET = String.raw`(?!${HOUSE}[ \t]*,?[ \t]+(?:${WORD}[ \t]+){1,4}?${STREET_TYPE})`;
const LOCALITY = String.raw`(?:[ \t]*,[ \t]*${NOT_NEXT_STREET}${TOKEN}(?:[ \t]+${NOT_NEXT_STREET}${TOKEN}){0,3}){0,4}`;
const ENGLISH_STREET = new RegExp(
  String.raw`(?:${UNIT}(?:${HOUSE}[ \t]*,?[ \t]+)?|\b${HOUSE}[ \t]*,?[ \t]+)(?:${WORD}[ \t]+){1,4}?${STREET_TYPE}${DIRECTION}${LOCALITY}`,
  "gi",
);
/** The sentence after "address is": from the house number up to `.`+space, `!`, `?`, `;`, a line end, "and", "but" or "please". */
const ENGLISH_CUED =
  /\baddress(?:[ \t]+(?:is(?:[ \t]+now)?|to|should[ \t]+be|will[ \t]+be))?[ \t]*[:=]?[ \t]*((?:no\.?[ \t]*)?\d(?:(?![ \t]+(?:and|but|please)\b)(?:[^\n!?;。！？.]|\.(?![ \t]|$)))*)/gi;

const HAN = String.raw`\p{Script=Han}`;
const NUMBER = String.raw`(?:\d+(?:-\d+)*|[零〇一二两三四五六七八九十百千]+)`;
const ROAD = String.raw`(?:大街|大道|胡同|路|街|巷)`;
const ESTATE = String.raw`(?:小区|花园|公寓|大厦|广场|家园|新村|社区|大楼|中心|苑|园|村)`;
const PART = String.raw`(?:号楼|号院|号|栋|幢|座|单元|层|楼|室|户|弄)`;
const AFTER = String.raw`(?:[ \t]*(?:${NUMBER}[ \t]*${PART}|[A-Za-z]?\d{1,5}(?!\d)[A-Za-z]?(?:室|房)?|${HAN}{1,8}?${ESTATE}))*`;
const CHINESE = new RegExp(
  String.raw`(?<lead>[${HAN}A-Za-z0-9]{0,40}?)(?<place>${HAN}(?:${ROAD}(?:[ \t]*${NUMBER}段)?[ \t]*${NUMBER}[ \t]*[号弄巷]|${ESTATE}[ \t]*${NUMBER}[ \t]*(?:号楼|栋|幢|座|单元|号)))${AFTER}`,
  "gu",
);
/** What people write just before an address; the address starts after the last one. */
const CUES = [
  "地址是",
  "地址为",
  "地址",
  "住址",
  "改成",
  "改为",
  "改到",
  "换成",
  "换到",
  "寄到",
  "送到",
  "发到",
  "邮到",
  "寄往",
  "送往",
  "住在",
  "位于",
  "在",
  "是",
  "到",
  "往",
];
const DIVISION = new RegExp(String.raw`([${HAN}A-Za-z0-9]*(?:省|自治区|市|区|县|旗|州|盟|镇|乡|街道))[ \t]+$`, "u");

/** Every address in `text` (already NFKC-normalised), in order; overlapping ones may both appear. */
export function findAddresses(text: string): AddressMatch[] {
  const found: AddressMatch[] = [];
  for (const match of text.matchAll(ENGLISH_STREET)) found.push(at(text, match.index, match.index + match[0].length));
  for (const match of text.matchAll(ENGLISH_CUED)) {
    const cued = match[1] ?? "";
    const start = match.index + match[0].length - cued.length;
    found.push(at(text, start, start + cued.trimEnd().length));
  }
  for (const match of text.matchAll(CHINESE)) found.push(chineseAddress(text, match));
  return found.sort((a, b) => a.start - b.start);
}

function chineseAddress(text: string, match: RegExpMatchArray): AddressMatch {
  const index = match.index ?? 0;
  let start = index + startInLead(match.groups?.["lead"] ?? "");
  // Divisions written with spaces between them ("北京市 朝阳区 建国路88号") belong to it too.
  for (let before = DIVISION.exec(text.slice(0, start)); before?.[1]; before = DIVISION.exec(text.slice(0, start))) {
    const skip = startInLead(before[1]);
    if (skip === before[1].length) break;
    start = before.index + skip;
  }
  return at(text, start, index + match[0].length);
}

/** Where the address starts in the text before its road: after the last cue, at a Han character. */
function startInLead(lead: string): number {
  let start = 0;
  for (const cue of CUES) {
    const found = lead.lastIndexOf(cue);
    if (found !== -1) start = Math.max(start, found + cue.length);
  }
  // A long digit run (a phone number, an order) is never part of a place name.
  for (const run of lead.matchAll(/\d{7,}/g)) start = Math.max(start, run.index + run[0].length);
  while (start < lead.length && !isHanAt(lead, start)) start++;
  return start;
}

function isHanAt(text: string, index: number): boolean {
  return /\p{Script=Han}/u.test(String.fromCodePoint(text.codePointAt(index) ?? 0));
}

function at(text: string, start: number, end: number): AddressMatch {
  return { start, end, value: text.slice(start, end) };
}
