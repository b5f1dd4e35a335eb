import { z } from 'zod';
import type { Db } from '#db';
import { fromDbJson, toDbJson, toDbTime } from '#db';
import type { Clock } from '#lib/clock.ts';
import { ValidationError } from '#lib/errors.ts';

/** What editors change about the publication. Stored one key per row as JSON. */
export const settingsSchema = z.object({
  name: z.string().trim().min(1).max(120),
  tagline: z.string().trim().max(200),
  description: z.string().trim().max(1000),
  language: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/),
  timeZone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'Unknown time zone'),
  baseUrl: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
});

export type Settings = z.output<typeof settingsSchema>;

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
  };
}

/** The current settings, defaults filled in for keys nobody has set. */
export async function getSettings(deps: SettingsDeps): Promise<Settings> {
  const rows = await deps.db.kysely.selectFrom('settings').select(['key', 'value']).execute();
  const merged: Record<string, unknown> = { ...deps.defaults };
  for (const r of rows) if (r.key in deps.defaults) merged[r.key] = fromDbJson<unknown>(r.value, undefined);
  const parsed = settingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : deps.defaults;
}

/** Validates and saves the given keys together. */
export async function updateSettings(deps: SettingsDeps, patch: Partial<Record<keyof Settings, unknown>>): Promise<Settings> {
  const parsed = settingsSchema.partial().safeParse(patch);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const i of parsed.error.issues) fields[i.path.join('.')] ??= i.message;
    throw new ValidationError('SETTINGS_INVALID', 'Some settings are not valid.', fields);
  }
  const now = toDbTime(deps.clock.now());
  await deps.db.kysely.transaction().execute(async (trx) => {
    for (const [key, value] of Object.entries(parsed.data)) {
      if (value === undefined) continue;
      await trx
        .insertInto('settings')
        .values({ key, value: toDbJson(value), updated_at: now })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: toDbJson(value), updated_at: now }))
        .execute();
    }
    await trx
      .updateTable('site_state')
      .set((eb) => ({ content_version: eb('content_version', '+', 1), content_changed_at: now }))
      .where('id', '=', 1)
      .execute();
  });
  deps.contentChanged();
  return getSettings(deps);
}
