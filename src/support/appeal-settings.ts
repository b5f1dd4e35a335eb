import { z } from 'zod';
import { toDbTime, type Db } from '#db';
import type { Clock } from '#lib/clock.ts';
import { ValidationError } from '#lib/errors.ts';
import { CURRENCIES, FREQUENCIES, type Currency, type Frequency } from './money.ts';

const minor = z.number().int().positive().max(100_000_000);
const three = z.tuple([minor, minor, minor]);
const limit = z
  .object({ min: minor, max: minor })
  .refine((l) => l.min <= l.max, 'The minimum must not be above the maximum');

/**
 * What editors configure about the asks. Limits are in minor units of whichever currency
 * the reader picks (the three currencies are close enough in value for a floor and a cap).
 */
export const appealSettingsSchema = z.object({
  title: z.string().trim().min(1).max(200),
  from: z.string().trim().max(200),
  body: z.string().trim().min(1).max(4000),
  signOff: z.string().trim().max(200),
  caseForSupport: z.string().trim().max(8000),
  currencies: z.array(z.enum(CURRENCIES)).min(1),
  defaultFrequency: z.enum(FREQUENCIES),
  suggested: z.record(z.enum(CURRENCIES), z.object({ once: three, month: three, year: three })),
  limits: z.object({ once: limit, month: limit, year: limit }),
  /** Path prefixes that never show the appeal or the banner (`/articles/obituary-…`). */
  excludedPaths: z
    .array(
      z
        .string()
        .trim()
        .regex(/^\/[^\s]*$/)
        .max(300),
    )
    .max(200),
  /** At most this many appeals per browser per 30 days; 0 means no limit (and no counter cookie). */
  appealsPer30Days: z.number().int().min(0).max(1000),
});

export type AppealSettings = z.output<typeof appealSettingsSchema>;

const SUGGESTED = {
  once: [1000, 2500, 5000],
  month: [500, 1000, 2000],
  year: [6000, 12000, 24000],
} as const satisfies Record<Frequency, readonly number[]>;

export function defaultAppealSettings(publicationName: string): AppealSettings {
  const perCurrency = () => ({
    once: [...SUGGESTED.once] as [number, number, number],
    month: [...SUGGESTED.month] as [number, number, number],
    year: [...SUGGESTED.year] as [number, number, number],
  });
  return {
    title: 'Support independent journalism',
    from: `A message from ${publicationName}`,
    body: 'Dear readers, we are independent: no owner, no advertisers, no state money. Our reporting is free to read because readers like you pay for it. Monthly support, starting from just $2, keeps us going.',
    signOff: 'Thank you.',
    caseForSupport:
      'Every story we publish is paid for by readers. Your support pays reporters, editors and the servers that keep this site reachable where it is blocked.',
    currencies: ['USD', 'EUR', 'GBP'],
    defaultFrequency: 'month',
    suggested: Object.fromEntries(CURRENCIES.map((c) => [c, perCurrency()])) as AppealSettings['suggested'],
    limits: {
      once: { min: 100, max: 1_000_000 },
      month: { min: 200, max: 100_000 },
      year: { min: 1000, max: 1_000_000 },
    },
    excludedPaths: [],
    appealsPer30Days: 5,
  };
}

export interface AppealSettingsDeps {
  db: Db;
  clock: Clock;
  publicationName: () => Promise<string>;
}

const KEY = 'appeal';

/** The stored appeal settings over the defaults (a missing or damaged row means defaults). */
export async function getAppealSettings(deps: AppealSettingsDeps): Promise<AppealSettings> {
  const defaults = defaultAppealSettings(await deps.publicationName());
  const row = await deps.db.kysely
    .selectFrom('support_settings')
    .select('value')
    .where('key', '=', KEY)
    .executeTakeFirst();
  if (!row) return defaults;
  let stored: unknown;
  try {
    stored = JSON.parse(row.value);
  } catch {
    return defaults;
  }
  const parsed = appealSettingsSchema.safeParse({
    ...defaults,
    ...(typeof stored === 'object' && stored ? stored : {}),
  });
  return parsed.success ? parsed.data : defaults;
}

/** Validates and stores new appeal settings; field errors come back as a ValidationError. */
export async function saveAppealSettings(deps: AppealSettingsDeps, input: unknown): Promise<AppealSettings> {
  const parsed = appealSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const fields: Record<string, string> = {};
    for (const i of parsed.error.issues) fields[i.path.join('.') || 'form'] ??= i.message;
    throw new ValidationError('SUPPORT_SETTINGS_INVALID', 'Some settings need fixing.', fields);
  }
  const value = JSON.stringify(parsed.data);
  const now = toDbTime(deps.clock.now());
  await deps.db.kysely
    .insertInto('support_settings')
    .values({ key: KEY, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
  return parsed.data;
}

export function suggestedFor(s: AppealSettings, currency: Currency, frequency: Frequency): readonly number[] {
  return s.suggested[currency]?.[frequency] ?? SUGGESTED[frequency];
}
