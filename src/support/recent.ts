import { getSettings, type Settings } from '#settings';
import { getAppealSettings, type AppealSettings } from './appeal-settings.ts';
import type { SupportDeps } from './deps.ts';

/** How long hot paths (webhooks, checkout) reuse settings they read: edits show within this. */
export const SETTINGS_TTL_MS = 2000;

interface Entry<T> {
  at: number;
  value: Promise<T>;
}

const publication = new WeakMap<object, Entry<Settings>>();
const appeals = new WeakMap<object, Entry<AppealSettings>>();

function recent<T>(cache: WeakMap<object, Entry<T>>, key: object, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < SETTINGS_TTL_MS) return hit.value;
  const value = load();
  cache.set(key, { at: now, value });
  value.catch(() => cache.delete(key));
  return value;
}

/** The publication's settings, read at most every two seconds per app (webhooks run hundreds a second). */
export function recentSettings(deps: Pick<SupportDeps, 'settings'>): Promise<Settings> {
  return recent(publication, deps.settings, () => getSettings(deps.settings));
}

/** The appeal settings, likewise. */
export function recentAppeal(deps: Pick<SupportDeps, 'db' | 'clock' | 'settings'>): Promise<AppealSettings> {
  return recent(appeals, deps.db, () =>
    getAppealSettings({
      db: deps.db,
      clock: deps.clock,
      publicationName: async () => (await recentSettings(deps)).name,
    }),
  );
}
