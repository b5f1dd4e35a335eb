/**
 * Wall-clock times in the publication's time zone, computed with Intl only. An edition goes
 * out "every Friday at 09:00" where the newsroom is, so the UTC instant moves by an hour
 * across daylight-saving changes.
 */

export const SEND_WEEKDAY = 5; // Friday, with Sunday = 0
export const SEND_HOUR = 9;

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The wall-clock reading of an instant in a time zone. */
export function localParts(instant: Date, timeZone: string): LocalParts & { second: number } {
  const out: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    second: Number(out.second),
    weekday: WEEKDAYS[out.weekday ?? ''] ?? 0,
  };
}

/** How far the zone's clock is ahead of UTC at this instant, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant a wall-clock time names in a zone. The zone's offsets a day before and a day
 * after give the candidates (they differ only around a daylight-saving change). A time that
 * does not exist (skipped by a spring-forward) lands just after the gap; an ambiguous one
 * (repeated in autumn) takes the earlier reading.
 */
export function zonedTimeToUtc(p: Omit<LocalParts, 'weekday'>, timeZone: string): Date {
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  const candidates = [
    ...new Set([-86_400_000, 0, 86_400_000].map((d) => wall - offsetAt(new Date(wall + d), timeZone))),
  ].sort((a, b) => a - b);
  const reads = (t: number) => {
    const l = localParts(new Date(t), timeZone);
    return l.year === p.year && l.month === p.month && l.day === p.day && l.hour === p.hour && l.minute === p.minute;
  };
  return new Date(candidates.find(reads) ?? candidates[candidates.length - 1] ?? wall);
}

/** Adds days to a calendar date (no time zone involved). */
function addDays(y: number, m: number, d: number, days: number): { year: number; month: number; day: number } {
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The first Friday 09:00 (publication time) strictly after `after`. */
export function nextFridayNine(after: Date, timeZone: string): Date {
  const now = localParts(after, timeZone);
  const ahead = (SEND_WEEKDAY - now.weekday + 7) % 7;
  for (const extra of [0, 7, 14]) {
    const date = addDays(now.year, now.month, now.day, ahead + extra);
    const at = zonedTimeToUtc({ ...date, hour: SEND_HOUR, minute: 0 }, timeZone);
    if (at.getTime() > after.getTime()) return at;
  }
  throw new Error('unreachable: a Friday within three weeks');
}

/** The local calendar date of an instant, as YYYY-MM-DD. */
export function localDate(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** The value of an `<input type="datetime-local">` showing this instant in the zone. */
export function toLocalInput(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,3})?)?$/;

/** Reads a datetime-local value as a time in the zone; null if it is not a real date and time. */
export function fromLocalInput(value: string, timeZone: string): Date | null {
  const m = LOCAL_INPUT.exec(value.trim());
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || year < 2000 || year > 9999) return null;
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return null;
  return zonedTimeToUtc({ year, month, day, hour, minute }, timeZone);
}

/** A readable local time with the zone's name, e.g. "Fri 6 Mar 2026, 09:00 (Europe/Riga)". */
export function describeLocal(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][p.weekday];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][p.month - 1];
  return `${day} ${p.day} ${month} ${p.year}, ${pad(p.hour)}:${pad(p.minute)} (${timeZone})`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
