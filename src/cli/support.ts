import { buildApp } from '#app';
import type { Config } from '#config';
import { openDatabase } from '#db';
import { reconcile } from '#support';

/**
 * `masthead support reconcile`: lists the provider's events of the last days and applies
 * any the webhook endpoint missed, through the same ledger code (already-applied events are
 * skipped by id). Safe to run at any time, from cron or by hand.
 */
export async function reconcileCommand(config: Config, opts: { days: number }): Promise<number> {
  const db = openDatabase(config.database);
  const app = await buildApp({ config, db, logger: false });
  try {
    const provider = app.masthead.support.provider;
    const r = await reconcile(app.masthead.support, opts.days);
    console.log(
      `${provider.testMode ? 'test provider' : 'Stripe'}: ${r.seen} events in the last ${opts.days} days; ${r.applied} missed and now applied, ${r.duplicate} already recorded, ${r.ignored} not ledger events, ${r.rejected} refused by the ledger`,
    );
    // Mail queued by repaired payments (receipts) goes out through the job workers.
    return 0;
  } finally {
    await app.close();
    await db.close();
  }
}
