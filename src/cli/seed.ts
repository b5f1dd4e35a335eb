import { buildApp } from '#app';
import { seedDemo } from '#articles';
import type { Config } from '#config';
import { migrate, openDatabase } from '#db';
import { applyDemoSettings } from '../server.ts';

export async function seedCommand(config: Config): Promise<number> {
  const db = openDatabase(config.database);
  try {
    await migrate(db);
    const app = await buildApp({ config, db, logger: false });
    try {
      const result = await seedDemo(app.masthead.articles);
      if (!result.seeded) {
        console.log('the database already has content; the demo was not added');
        return 0;
      }
      await applyDemoSettings(app);
      console.log(`seeded the demo publication (${result.articles} articles)`);
      return 0;
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}
