/** Calendar days in a tenant's time zone (the zone rule itself is @salesfleet/contracts' isTimeZone). */

// Making an Intl.DateTimeFormat costs far more than formatting with one (a sale asks for today's
// date several times): one formatter per zone, kept for the process (zones are a short, closed list).
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (`YYYY-MM-DD`) at `instant` in `timeZone`. */
export function dateInTimeZone(timeZone: string, instant: Date = new Date()): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * The instant a calendar day starts in `timeZone` (midnight local, or the first existing instant on a
 * day whose midnight a DST change skips). Used to turn report dates into timestamp ranges.
 */
export function startOfDayInTimeZone(timeZone: string, date: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  // The zone's offset near that day, then correct once (offsets change at most once a day).
  let guess = utcMidnight - offsetMs(timeZone, new Date(utcMidnight));
  guess = utcMidnight - offsetMs(timeZone, new Date(guess));
  if (dateInTimeZone(timeZone, new Date(guess)) !== date) guess += 3_600_000;
  return new Date(guess);
}

/** Local wall-clock time minus UTC at `instant`, in ms. */
function offsetMs(timeZone: string, instant: Date): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const local = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return local - Math.floor(instant.getTime() / 1000) * 1000;
}
