const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, language: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${language}|${withTime}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language, withTime ? { dateStyle: 'long', timeStyle: 'short', timeZone } : { dateStyle: 'long', timeZone });
    formatters.set(key, f);
  }
  return f;
}

/** A date as readers of the publication see it, in its time zone. */
export function formatDate(iso: string, timeZone: string, language: string, withTime = false): string {
  return formatter(timeZone, language, withTime).format(new Date(iso));
}
