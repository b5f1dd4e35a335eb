import readline from 'node:readline';
import { createOwner } from '#accounts';
import type { Config } from '#config';
import { migrate, openDatabase } from '#db';
import { isAppError, ValidationError } from '#lib/errors.ts';
import { buildApp } from '#app';

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    let data = '';
    for await (const chunk of process.stdin) data += String(chunk);
    return data.replace(/\r?\n$/, '');
  }
  // Interactive: ask without echoing what is typed.
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const muted = rl as unknown as { _writeToOutput: (s: string) => void };
  process.stdout.write('Password for the owner (not shown): ');
  muted._writeToOutput = () => {};
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stdout.write('\n');
  return answer;
}

/** Creates the newsroom's owner from a script; refuses once anyone exists. Never a default password. */
export async function createOwnerCommand(
  config: Config,
  opts: { email: string; name: string; passwordStdin: boolean },
): Promise<number> {
  const db = openDatabase(config.database);
  try {
    await migrate(db);
    const app = await buildApp({ config, db, logger: false });
    try {
      const password = await readPassword(opts.passwordStdin);
      const owner = await createOwner(app.masthead.accounts, { email: opts.email, name: opts.name, password });
      console.log(`created the owner ${owner.email}; sign in at /newsroom and set up two-factor sign-in`);
      return 0;
    } catch (err) {
      if (err instanceof ValidationError) {
        console.error(
          `masthead: ${err.message}${
            Object.values(err.fields).length
              ? `\n  ${Object.entries(err.fields)
                  .map(([k, v]) => `${k}: ${v}`)
                  .join('\n  ')}`
              : ''
          }`,
        );
        return 1;
      }
      if (isAppError(err) && err.status === 409) {
        console.error(`masthead: ${err.message}`);
        return 1;
      }
      throw err;
    } finally {
      await app.close();
    }
  } finally {
    await db.close();
  }
}
