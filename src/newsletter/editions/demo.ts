import { listPublishedSummariesBetween } from '#articles';
import { toDbTime } from '#db';
import { slugify } from '#lib/slug.ts';
import { getSettings } from '#settings';
import * as q from './queries.ts';
import { renderEdition } from './render.ts';
import { localDate, nextFridayNine } from './schedule.ts';
import { ensureAutoDraft } from './sending.ts';
import { getEdition, renderInput, type EditionsDeps } from './service.ts';

const BLURBS = [
  'Our lead story this week, and the one readers wrote to us about most.',
  'Worth your time over the weekend: the reporting behind it took a month.',
  'A shorter read, and a useful one.',
  'In case you missed it.',
];

/**
 * The demo's sent edition: last Friday's, with the newest demo articles, stored as sent with
 * its rendered HTML (no mail goes out), so the archive and the Preview link have something
 * to show. Does nothing when any edition exists. Also makes next Friday's draft.
 */
export async function seedDemoEdition(deps: EditionsDeps): Promise<number | null> {
  const k = deps.db.kysely;
  if (await k.selectFrom('editions').select('id').limit(1).executeTakeFirst()) return null;
  const settings = await getSettings(deps.settings);
  const now = deps.clock.now();
  const lastFriday = new Date(nextFridayNine(new Date(now.getTime() - 7 * 86_400_000), settings.timeZone).getTime());
  const sentAt = lastFriday.getTime() < now.getTime() ? lastFriday : new Date(now.getTime() - 3_600_000);
  const articles = await listPublishedSummariesBetween(deps.articles, new Date(0), now, 4);
  if (articles.length === 0) return null;
  const subject = `${settings.name} weekly: ${articles[0]?.headline ?? 'the week in review'}`.slice(0, 200);
  const id = await q.insertEdition(k, {
    subject,
    preheader: 'The stories our editors picked this week, and why they matter.',
    intro: `Dear readers,\n\nThis is the weekly letter from ${settings.name}: a hand-picked selection of our reporting, sent every Friday morning. Thank you for reading, and for telling friends who cannot reach our site.`,
    signOff: 'Until next Friday,\nThe editors',
    autoFriday: null,
    createdBy: null,
    now: toDbTime(sentAt),
  });
  if (id === null) return null;
  for (const [i, a] of articles.entries()) {
    if (i === 1) await q.insertItem(k, id, { kind: 'heading', heading: 'Also this week' });
    await q.insertItem(k, id, { kind: 'article', articleId: a.id, blurb: BLURBS[i] ?? '' });
  }
  const slug = `${localDate(sentAt, settings.timeZone)}-${slugify(subject, 60) || 'edition'}`;
  const rendered = await renderEdition(await renderInput(deps, await getEdition(deps, id), slug));
  await k
    .updateTable('editions')
    .set({
      status: 'sent',
      slug,
      rendered_html: rendered.html,
      rendered_text: rendered.text,
      scheduled_for: toDbTime(sentAt),
      started_at: toDbTime(sentAt),
      sent_at: toDbTime(sentAt),
      audience_fixed_at: toDbTime(sentAt),
      updated_at: toDbTime(sentAt),
    })
    .where('id', '=', id)
    .execute();
  await ensureAutoDraft(deps);
  await q.bumpContentVersion(k, toDbTime(now));
  deps.contentChanged();
  return id;
}
