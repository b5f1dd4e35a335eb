import { z } from 'zod';
import type { Db } from '#db';
import { fromDbJson, toDbJson, toDbTime } from '#db';
import type { Clock } from '#lib/clock.ts';
import { ValidationError } from '#lib/errors.ts';
import { siteAddressSchema } from '#lib/site-address.ts';
import * as q from './queries.ts';

/** Where a publication may link its accounts; shown in this order. */
export const SOCIAL_NETWORKS = ['mastodon', 'bluesky', 'telegram', 'x', 'facebook', 'instagram', 'youtube'] as const;
export type SocialNetwork = (typeof SOCIAL_NETWORKS)[number];

// An IANA zone name (`Europe/Riga`, `UTC`): Intl also accepts offsets such as `+01:00`,
// which do not follow daylight saving time, so the name's shape is checked first.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

function resolveTimeZone(tz: string): string | null {
  if (tz.length > 64 || !ZONE_NAME.test(tz)) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const timeZone = z
  .string()
  .trim()
  .refine((tz) => resolveTimeZone(tz) !== null, 'Choose a time zone from the list')
  .transform((tz) => resolveTimeZone(tz) ?? tz);

// Empty means "no link"; anything else must be a full https address.
const socialUrl = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v),
  z
    .url({ protocol: /^https$/, error: 'Enter a full address starting with https://' })
    .max(500)
    .optional(),
);

const socialLinks = z.object(
  Object.fromEntries(SOCIAL_NETWORKS.map((n) => [n, socialUrl])) as Record<SocialNetwork, typeof socialUrl>,
);

/** What editors change about the publication. Stored one key per row as JSON. */
export const settingsSchema = z.object({
  name: z.string().trim().min(1, 'Enter the publication’s name').max(120, 'Use at most 120 characters'),
  tagline: z.string().trim().max(200, 'Use at most 200 characters'),
  description: z.string().trim().max(1000, 'Use at most 1000 characters'),
  language: z
    .string()
    .trim()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Use a language tag such as en, de or pt-BR'),
  timeZone,
  /** Every link on the site is built from this; see #lib/site-address.ts. */
  baseUrl: siteAddressSchema,
  /** Links to the publication's own accounts elsewhere; a missing key means no link. */
  social: socialLinks,
  /** An image from the media library shown in the masthead instead of the name in text. */
  logo: z
    .object({
      mediaId: z.number().int().positive(),
      file: z.string().max(300),
      width: z.number().int().positive(),
      height: z.number().int().positive(),
    })
    .nullable(),
  /** The newsletter signup block's heading and the sentence under it. */
  newsletterTitle: z
    .string()
    .trim()
    .min(1, 'Enter a title for the signup block')
    .max(120, 'Use at most 120 characters'),
  newsletterDescription: z.string().trim().max(400, 'Use at most 400 characters'),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingsKey = keyof Settings;

export interface SettingsDeps {
  db: Db;
  clock: Clock;
  defaults: Settings;
  contentChanged: () => void;
}

export function defaultSettings(baseUrl: string): Settings {
  return {
    name: 'Masthead',
    tagline: 'Independent journalism, funded by readers',
    description: '',
    language: 'en',
    timeZone: 'UTC',
    baseUrl,
    social: {},
    logo: null,
    newsletterTitle: 'Sign up for our free weekly newsletter',
    newsletterDescription:
      'A hand-picked selection of news, features, analysis and more, in your mailbox every Friday.',
  };
}

/** The current settings; a key nobody has set, or whose stored value no longer validates, takes its default. */
export async function getSettings(deps: SettingsDeps): Promise<Settings> {
  const rows = await q.listSettingRows(deps.db.kysely);
  const merged: Record<string, unknown> = { ...deps.defaults };
  for (const r of rows) {
    if (!(r.key in settingsSchema.shape) || !(r.key in deps.defaults)) continue;
    const parsed = settingsSchema.shape[r.key as SettingsKey].safeParse(fromDbJson<unknown>(r.value, undefined));
    if (parsed.success) merged[r.key] = parsed.data;
  }
  return merged as Settings;
}

function parsePatch(patch: Partial<Record<SettingsKey, unknown>>): Partial<Settings> {
  const parsed = settingsSchema.partial().safeParse(patch);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const i of parsed.error.issues) fields[i.path.join('.')] ??= i.message;
    throw new ValidationError('SETTINGS_INVALID', 'Some settings are not valid.', fields);
  }
  return parsed.data;
}

/** The names of what differs, social links one by one (`name`, `social.mastodon`), never the values. */
function changedKeys(before: Settings, after: Partial<Settings>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(settingsSchema.shape) as SettingsKey[]) {
    const next = after[key];
    if (next === undefined) continue;
    if (key === 'social') {
      const prev = before.social;
      const now = next as Settings['social'];
      for (const n of SOCIAL_NETWORKS) if (prev[n] !== now[n]) out.push(`social.${n}`);
    } else if (toDbJson(before[key]) !== toDbJson(next)) out.push(key);
  }
  return out;
}

/**
 * Validates the given keys, then saves those whose value differs, together. Returns the new
 * settings and the names of the changed keys (for the audit log). Throws SETTINGS_INVALID with
 * field errors before anything is written.
 */
export async function saveSettings(
  deps: SettingsDeps,
  patch: Partial<Record<SettingsKey, unknown>>,
): Promise<{ settings: Settings; changed: string[] }> {
  const data = parsePatch(patch);
  const before = await getSettings(deps);
  const changed = changedKeys(before, data);
  if (changed.length === 0) return { settings: before, changed };
  const topLevel = new Set(changed.map((k) => k.split('.')[0] as SettingsKey));
  const now = toDbTime(deps.clock.now());
  await deps.db.kysely.transaction().execute(async (trx) => {
    for (const key of topLevel) await q.upsertSetting(trx, key, toDbJson(data[key]), now);
    await q.bumpContentVersion(trx, now);
  });
  deps.contentChanged();
  return { settings: await getSettings(deps), changed };
}

/** Validates and saves the given keys together; returns the settings now in force. */
export async function updateSettings(
  deps: SettingsDeps,
  patch: Partial<Record<SettingsKey, unknown>>,
): Promise<Settings> {
  return (await saveSettings(deps, patch)).settings;
}
