import os from 'node:os';
import { buildApp } from '#app';
import type { Config } from '#config';
import { openDatabase } from '#db';
import { onShutdownSignal } from '../server.ts';

/** A process that only runs background jobs; it never listens for HTTP. */
export async function startWorkerProcess(config: Config): Promise<void> {
  // Background work (a newsletter send can use a whole core) yields the CPU to web processes
  // on the same machine; on a machine of its own the priority changes nothing.
  if (config.worker.niceness > 0) {
    try {
      os.setPriority(Math.max(os.getPriority(), config.worker.niceness));
    } catch {
      // Not permitted here (some containers): run at the normal priority.
    }
  }
  const db = openDatabase(config.database);
  const app = await buildApp({ config, db });
  app.addHook('onClose', () => db.close());
  app.masthead.startWorker();
  app.log.info('worker started');
  onShutdownSignal(app);
}
