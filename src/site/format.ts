const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, language: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${language}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(
      language,
      withTime ? { dateStyle: 'long', timeStyle: 'short', timeZone } : { dateStyle: 'long', timeZone },
    );
    formatters.set(key, f);
  }
  return f;
}

// Formatted dates, remembered: the same few publication times appear on every page, and
// Intl formatting costs several microseconds each time. Emptied when full.
const formatted = new Map<string, string>();
const MAX_FORMATTED = 10_000;

/** A date as readers of the publication see it, in its time zone. */
export function formatDate(iso: string, timeZone: string, language: string, withTime = false): string {
  const key = `${iso}|${timeZone}|${language}|${withTime ? 't' : 'd'}`;
  let s = formatted.get(key);
  if (s === undefined) {
    s = formatter(timeZone, language, withTime).format(new Date(iso));
    if (formatted.size >= MAX_FORMATTED) formatted.clear();
    formatted.set(key, s);
  }
  return s;
}
