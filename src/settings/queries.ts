import { sql, type Kysely } from 'kysely';
import type { Database } from '#db';
import { isUniqueViolation } from '#db';
import { ConflictError } from '#lib/errors.ts';

type K = Kysely<Database>;

/**
 * Every stored setting as JSON text. The cast matters on PostgreSQL: `pg` hands jsonb back
 * already parsed, and a parsed string value cannot be told from JSON text.
 */
export async function listSettingRows(db: K): Promise<{ key: string; value: string }[]> {
  return db
    .selectFrom('settings')
    .select(['key', sql<string>`cast(value as text)`.as('value')])
    .execute();
}

export async function upsertSetting(db: K, key: string, value: string, now: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}

export { bumpContentVersion } from '#db';

export interface PrivacyPolicyRow {
  version: number;
  bodyMarkdown: string;
  bodyHtml: string;
  publishedAt: string;
  createdBy: number | null;
}

export async function findPrivacyPolicy(db: K, version: number | 'latest'): Promise<PrivacyPolicyRow | null> {
  let q = db
    .selectFrom('privacy_policies')
    .select(['version', 'body_markdown', 'body_html', 'published_at', 'created_by']);
  q = version === 'latest' ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
  const r = await q.executeTakeFirst();
  return r
    ? {
        version: r.version,
        bodyMarkdown: r.body_markdown,
        bodyHtml: r.body_html,
        publishedAt: r.published_at,
        createdBy: r.created_by,
      }
    : null;
}

export async function listPrivacyPolicies(db: K, limit: number, offset: number) {
  const [rows, count] = await Promise.all([
    db
      .selectFrom('privacy_policies')
      .select(['version', 'published_at', 'created_by'])
      .orderBy('version', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom('privacy_policies')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({ version: r.version, publishedAt: r.published_at, createdBy: r.created_by })),
    total: Number(count.n),
  };
}

/** Inserts a version; two publishers racing for the same number get a ConflictError. */
export async function insertPrivacyPolicy(db: K, p: PrivacyPolicyRow): Promise<void> {
  try {
    await db
      .insertInto('privacy_policies')
      .values({
        version: p.version,
        body_markdown: p.bodyMarkdown,
        body_html: p.bodyHtml,
        published_at: p.publishedAt,
        created_by: p.createdBy,
      })
      .execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new ConflictError(
        'SETTINGS_PRIVACY_CONFLICT',
        'Someone else published a version at the same moment. Reload the page and try again.',
        { cause: err },
      );
    throw err;
  }
}
