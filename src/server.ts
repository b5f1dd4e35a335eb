import type { FastifyInstance } from 'fastify';
import { buildApp } from '#app';
import { demoPrivacyPolicy, demoPublication, seedDemo } from '#articles';
import type { Config } from '#config';
import { migrate, openDatabase } from '#db';
import { seedDemoEdition } from '#editions';
import { getCurrentPrivacyPolicy, publishPrivacyPolicy, updateSettings } from '#settings';

export interface ServeOptions {
  migrate: boolean;
  seed: boolean;
  worker: boolean;
}

/**
 * Starts the web process: migrate (unless told not to), seed the demo publication into an
 * empty database, listen, and shut down gracefully on SIGINT/SIGTERM.
 */
export async function startServer(config: Config, opts: ServeOptions): Promise<FastifyInstance> {
  const db = openDatabase(config.database);
  if (opts.migrate) await migrate(db);
  const app = await buildApp({ config, db, closeDb: true });
  if (opts.seed) {
    const result = await seedDemo(app.masthead.articles);
    if (result.seeded) {
      await applyDemoSettings(app);
      app.log.info({ articles: result.articles }, 'seeded the demo publication');
    }
  }
  await app.listen({ host: config.host, port: config.port });
  if (opts.worker) app.masthead.startWorker();

  onShutdownSignal(app);
  return app;
}

/** Closes the app (and so its worker and database) on SIGINT/SIGTERM, bounded in time. */
export function onShutdownSignal(app: FastifyInstance): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

export async function applyDemoSettings(app: FastifyInstance): Promise<void> {
  await updateSettings(app.masthead.settings, {
    name: demoPublication.name,
    tagline: demoPublication.tagline,
    description: demoPublication.description,
    language: demoPublication.language,
    timeZone: demoPublication.timeZone,
  });
  // The signup forms ask readers to agree to the policy, so the demo publishes one of its own.
  if (!(await getCurrentPrivacyPolicy(app.masthead.settings)))
    await publishPrivacyPolicy(app.masthead.settings, null, demoPrivacyPolicy);
  // One edition already "sent" (stored, not mailed), so the archive and Preview link show something.
  await seedDemoEdition(app.masthead.editions);
}
