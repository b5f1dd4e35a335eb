import { renderMarkdown } from '#articles';
import { toDbTime } from '#db';
import { ValidationError } from '#lib/errors.ts';
import * as q from './queries.ts';
import type { SettingsDeps } from './service.ts';

const MAX_MARKDOWN = 200_000;

/** The privacy policy as readers see it: sanitised HTML, ready to print as it is. */
export interface PrivacyPolicy {
  version: number;
  html: string;
  publishedAt: string;
}

/** One published version with its source, for the newsroom. */
export interface PrivacyPolicyVersion extends PrivacyPolicy {
  markdown: string;
  /** The staff member who published it; null once they are deleted. */
  createdBy: number | null;
}

export interface PrivacyPolicySummary {
  version: number;
  publishedAt: string;
  createdBy: number | null;
}

function toVersion(r: q.PrivacyPolicyRow): PrivacyPolicyVersion {
  return {
    version: r.version,
    html: r.bodyHtml,
    publishedAt: r.publishedAt,
    markdown: r.bodyMarkdown,
    createdBy: r.createdBy,
  };
}

/** The policy in force (the highest version), or null before the first is published. */
export async function getCurrentPrivacyPolicy(deps: Pick<SettingsDeps, 'db'>): Promise<PrivacyPolicy | null> {
  const r = await q.findPrivacyPolicy(deps.db.kysely, 'latest');
  return r ? { version: r.version, html: r.bodyHtml, publishedAt: r.publishedAt } : null;
}

/** One version with its Markdown (`'current'` for the highest), or null if there is none. */
export async function findPrivacyPolicyVersion(
  deps: Pick<SettingsDeps, 'db'>,
  version: number | 'current',
): Promise<PrivacyPolicyVersion | null> {
  if (version !== 'current' && (!Number.isSafeInteger(version) || version < 1)) return null;
  const r = await q.findPrivacyPolicy(deps.db.kysely, version === 'current' ? 'latest' : version);
  return r ? toVersion(r) : null;
}

/** Every published version, newest first. */
export async function listPrivacyPolicyVersions(
  deps: Pick<SettingsDeps, 'db'>,
  opts: { limit?: number; offset?: number } = {},
): Promise<{ items: PrivacyPolicySummary[]; total: number }> {
  const limit = Math.min(Math.max(Math.trunc(opts.limit ?? 100), 1), 500);
  const offset = Math.max(Math.trunc(opts.offset ?? 0), 0);
  return q.listPrivacyPolicies(deps.db.kysely, limit, offset);
}

/**
 * Publishes a new version (the current one + 1). Old versions are never changed: readers and
 * subscribers agreed to a particular text, and we must be able to show it again.
 */
export async function publishPrivacyPolicy(
  deps: SettingsDeps,
  actor: { id: number } | null,
  markdown: string,
): Promise<PrivacyPolicyVersion> {
  const text = markdown.replace(/\r\n?/g, '\n').trim();
  if (!text)
    throw new ValidationError('SETTINGS_PRIVACY_EMPTY', 'Write the policy before publishing it.', {
      markdown: 'Write the policy before publishing it',
    });
  if (text.length > MAX_MARKDOWN)
    throw new ValidationError('SETTINGS_PRIVACY_TOO_LONG', `Use at most ${MAX_MARKDOWN} characters.`, {
      markdown: `Use at most ${MAX_MARKDOWN} characters`,
    });
  const { html } = renderMarkdown(text);
  if (!html.trim())
    throw new ValidationError('SETTINGS_PRIVACY_EMPTY', 'Nothing of this text would be shown to readers.', {
      markdown: 'Nothing of this text would be shown to readers',
    });
  const now = toDbTime(deps.clock.now());
  const row = await deps.db.kysely.transaction().execute(async (trx) => {
    const current = await q.findPrivacyPolicy(trx, 'latest');
    // A version that changes nothing would only make everyone's agreement look out of date.
    if (current && current.bodyMarkdown === text) {
      throw new ValidationError('SETTINGS_PRIVACY_UNCHANGED', 'This is the same text as the current version.', {
        markdown: 'This is the same text as the current version',
      });
    }
    const next: q.PrivacyPolicyRow = {
      version: (current?.version ?? 0) + 1,
      bodyMarkdown: text,
      bodyHtml: html,
      publishedAt: now,
      createdBy: actor?.id ?? null,
    };
    await q.insertPrivacyPolicy(trx, next);
    await q.bumpContentVersion(trx, now);
    return next;
  });
  deps.contentChanged();
  return toVersion(row);
}
