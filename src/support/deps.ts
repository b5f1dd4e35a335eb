import type { Db } from '#db';
import type { JobQueue } from '#jobs';
import type { Clock } from '#lib/clock.ts';
import type { Mailer } from '#mail';
import type { SettingsDeps } from '#settings';
import type { SupportProvider } from './provider.ts';

/** What every support operation needs. */
export interface SupportDeps {
  db: Db;
  clock: Clock;
  jobs: JobQueue;
  mailer: Mailer;
  settings: SettingsDeps;
  provider: SupportProvider;
  /** Checkouts per network and in total per hour (defaults in throttle.ts). */
  checkoutLimits?: { perNetwork: number; global: number };
}
