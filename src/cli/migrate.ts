import type { Config } from '#config';
import { migrate, openDatabase, schemaStatus } from '#db';

export async function migrateCommand(config: Config, opts: { statusOnly: boolean }): Promise<number> {
  const db = openDatabase(config.database);
  try {
    if (opts.statusOnly) {
      const s = await schemaStatus(db);
      console.log(`applied: ${s.applied.join(', ') || '(none)'}`);
      console.log(`pending: ${s.pending.join(', ') || '(none)'}`);
      if (s.unknown.length) console.log(`unknown to this version: ${s.unknown.join(', ')}`);
      return s.unknown.length ? 1 : 0;
    }
    const done = await migrate(db);
    console.log(done.length ? `applied: ${done.join(', ')}` : 'the database is up to date');
    return 0;
  } finally {
    await db.close();
  }
}
