import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from './connection.ts';

/**
 * A time column as its UTC calendar month, `YYYY-MM`, for grouping in SQL on either
 * dialect (SQLite keeps ISO-8601 text; PostgreSQL keeps timestamptz).
 */
export function monthOf(dialect: DialectName, column: string): RawBuilder<string> {
  return dialect === 'postgres'
    ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM')`
    : sql<string>`substr(${sql.ref(column)}, 1, 7)`;
}
