import { buildApp } from '#app';
import type { Config } from '#config';
import { openDatabase } from '#db';
import { onShutdownSignal } from '../server.ts';

/** A process that only runs background jobs; it never listens for HTTP. */
export async function startWorkerProcess(config: Config): Promise<void> {
  const db = openDatabase(config.database);
  const app = await buildApp({ config, db });
  app.addHook('onClose', () => db.close());
  app.masthead.startWorker();
  app.log.info('worker started');
  onShutdownSignal(app);
}
