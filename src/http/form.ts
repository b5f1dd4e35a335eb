/** Reading parsed form bodies and query strings, which may hold a string, an array or nothing. */
type Fields = Record<string, unknown> | undefined;

/** A field as text: the first value if it was sent more than once, '' if absent. */
export function str(body: unknown, key: string): string {
  const v = (body as Fields)?.[key];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
}

/** Every non-empty text value of a repeated field (checkboxes). */
export function list(body: unknown, key: string): string[] {
  const v = (body as Fields)?.[key];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x !== '');
}
