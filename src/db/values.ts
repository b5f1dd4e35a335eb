/**
 * Value conversions shared by every queries.ts. Times are written as ISO strings (both
 * dialects accept them); booleans are stored as 0/1; JSON travels as text.
 */
export function toDbTime(d: Date): string {
  return d.toISOString();
}

export function fromDbBool(v: number | boolean | null | undefined): boolean {
  return v === true || v === 1;
}

export function toDbJson(value: unknown): string {
  return JSON.stringify(value);
}

export function fromDbJson<T>(value: string | object | null | undefined, fallback: T): T {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'object') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
