// Data for delivery tests and the benchmark: subscribers in bulk and an edition that is
// already rendered (the composer's part), inserted directly so thousands take milliseconds.
import type { Db, SubscriberStatus } from '#db';
import { toDbTime } from '#db';

/** Inserts `count` subscribers with addresses `<prefix><n>@<domain>`; returns their ids in order. */
export async function addSubscribers(
  db: Db,
  count: number,
  opts: { status?: SubscriberStatus; prefix?: string; domain?: string } = {},
): Promise<number[]> {
  const now = toDbTime(new Date());
  const status = opts.status ?? 'active';
  const ids: number[] = [];
  for (let start = 0; start < count; start += 500) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      rows.push({
        email: `${opts.prefix ?? 'reader'}${i}@${opts.domain ?? 'example.net'}`,
        status,
        consent_at: now,
        policy_version: null,
        source: '/newsletter',
        confirmed_at: status === 'pending' ? null : now,
        unsubscribed_at: status === 'unsubscribed' ? now : null,
        created_at: now,
        updated_at: now,
      });
    }
    const r = await db.kysely.insertInto('subscribers').values(rows).returning('id').execute();
    ids.push(...r.map((x) => x.id));
  }
  return ids;
}

export const EDITION_HTML =
  '<!doctype html><html><body><h1>This week</h1><p>Stories.</p>' +
  '<p><a href="{{manage_url}}">Manage your subscription</a> · <a href="{{unsubscribe_url}}">Unsubscribe</a></p></body></html>';
export const EDITION_TEXT = 'This week\n\nStories.\n\nManage: {{manage_url}}\nUnsubscribe: {{unsubscribe_url}}\n';

/** A draft edition with its HTML and text rendered, as the composer leaves it. */
export async function addRenderedEdition(
  db: Db,
  over: { subject?: string; html?: string | null; text?: string | null; status?: 'draft' | 'scheduled' } = {},
): Promise<number> {
  const now = toDbTime(new Date());
  const r = await db.kysely
    .insertInto('editions')
    .values({
      status: over.status ?? 'draft',
      slug: null,
      subject: over.subject ?? 'The Friday edition',
      preheader: 'This week in brief',
      intro: 'Hello',
      sign_off: 'Until next week',
      scheduled_for: null,
      rendered_html: over.html === undefined ? EDITION_HTML : over.html,
      rendered_text: over.text === undefined ? EDITION_TEXT : over.text,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
