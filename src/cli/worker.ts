import fs from 'node:fs';
import os from 'node:os';
import { buildApp } from '#app';
import type { Config } from '#config';
import { openDatabase } from '#db';
import { onShutdownSignal } from '../server.ts';

/**
 * Lowers the CPU priority of every thread of this process. On Linux a priority belongs to a
 * thread, and V8's helper threads (garbage collection, which is a fifth of a sender's CPU
 * time, and compilation) started before this call would otherwise stay at the normal
 * priority and compete with web processes. Threads started later inherit the main thread's.
 */
function lowerPriority(niceness: number): void {
  const target = Math.max(os.getPriority(), niceness);
  let threads: number[] = [];
  try {
    threads = fs
      .readdirSync('/proc/self/task')
      .map(Number)
      .filter((tid) => Number.isInteger(tid) && tid > 0);
  } catch {
    // No /proc (not Linux): the process-wide call below is all there is.
  }
  for (const id of [0, ...threads]) {
    try {
      os.setPriority(id, target);
    } catch {
      // Not permitted here (some containers), or the thread ended meanwhile: leave it as is.
    }
  }
}

/** A process that only runs background jobs; it never listens for HTTP. */
export async function startWorkerProcess(config: Config): Promise<void> {
  // Background work (a newsletter send can use a whole core) yields the CPU to web processes
  // on the same machine; on a machine of its own the priority changes nothing.
  if (config.worker.niceness > 0) lowerPriority(config.worker.niceness);
  const db = openDatabase(config.database);
  const app = await buildApp({ config, db, closeDb: true });
  app.masthead.startWorker();
  app.log.info('worker started');
  onShutdownSignal(app);
}
