import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from '#config';
import { isAppError } from '#lib/errors.ts';

export const EXIT = { ok: 0, failure: 1, usage: 2, config: 78 } as const;

const HELP = `Usage: masthead <command> [options]

Commands:
  serve            Start the web server (migrates, and seeds the demo into an empty database)
      --no-migrate   do not apply pending migrations first
      --no-seed      do not seed the demo publication into an empty database
      --no-worker    do not run background jobs in this process (run masthead worker)
  worker           Run background jobs only (scheduled publishing, …); any number may run
  migrate          Apply pending database migrations
      --status       only list applied and pending migrations
  seed --demo      Add the demo publication (only into a database with no content)
  create-owner --email ADDRESS --name NAME [--password-stdin]
                   Create the newsroom's owner (only while there is no staff); the password
                   is asked for, or read from standard input with --password-stdin
  support reconcile [--days N]
                   Apply provider events the webhook missed (last N days, default 3)
  help             Show this help

Configuration comes from the environment (PORT, HOST, DATABASE_URL, DATA_DIR, …);
see the README.`;

class UsageError extends Error {}

function parse<const T extends Record<string, { type: 'boolean' | 'string' }>>(
  args: string[],
  options: T,
): Partial<Record<keyof T | 'help', boolean | string>> {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean' } },
      allowPositionals: false,
      strict: true,
    }).values as Partial<Record<keyof T | 'help', boolean | string>>;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

async function run(command: string | undefined, rest: string[], config: () => Config): Promise<number> {
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return command === undefined ? EXIT.usage : EXIT.ok;
    case 'serve': {
      const v = parse(rest, {
        'no-migrate': { type: 'boolean' },
        'no-seed': { type: 'boolean' },
        'no-worker': { type: 'boolean' },
      });
      if (v.help) return (console.log(HELP), EXIT.ok);
      const { startServer } = await import('../server.ts');
      const cfg = config();
      await startServer(cfg, {
        migrate: !v['no-migrate'],
        seed: cfg.seedDemo && !v['no-seed'],
        worker: cfg.worker.inProcess && !v['no-worker'],
      });
      return EXIT.ok;
    }
    case 'worker': {
      const v = parse(rest, {});
      if (v.help) return (console.log(HELP), EXIT.ok);
      const { startWorkerProcess } = await import('./worker.ts');
      await startWorkerProcess(config());
      return EXIT.ok;
    }
    case 'migrate': {
      const v = parse(rest, { status: { type: 'boolean' } });
      if (v.help) return (console.log(HELP), EXIT.ok);
      const { migrateCommand } = await import('./migrate.ts');
      return migrateCommand(config(), { statusOnly: Boolean(v.status) });
    }
    case 'seed': {
      const v = parse(rest, { demo: { type: 'boolean' } });
      if (v.help) return (console.log(HELP), EXIT.ok);
      if (!v.demo) throw new UsageError('seed needs --demo (the only seed there is)');
      const { seedCommand } = await import('./seed.ts');
      return seedCommand(config());
    }
    case 'create-owner': {
      const v = parse(rest, {
        email: { type: 'string' },
        name: { type: 'string' },
        'password-stdin': { type: 'boolean' },
      });
      if (v.help) return (console.log(HELP), EXIT.ok);
      if (typeof v.email !== 'string' || typeof v.name !== 'string')
        throw new UsageError('create-owner needs --email and --name');
      const { createOwnerCommand } = await import('./create-owner.ts');
      return createOwnerCommand(config(), {
        email: v.email,
        name: v.name,
        passwordStdin: v['password-stdin'] === true,
      });
    }
    case 'support': {
      const [sub, ...more] = rest;
      const v = parse(more, { days: { type: 'string' } });
      if (v.help) return (console.log(HELP), EXIT.ok);
      if (sub !== 'reconcile') throw new UsageError('support needs a subcommand: reconcile');
      const days = v.days === undefined ? 3 : Number(v.days);
      if (!Number.isInteger(days) || days < 1 || days > 30)
        throw new UsageError('--days must be a whole number from 1 to 30 (providers keep events for 30 days)');
      const { reconcileCommand } = await import('./support.ts');
      return reconcileCommand(config(), { days });
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** Runs one CLI command and returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    return await run(command, rest, () => loadConfig());
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`masthead: ${err.message}\nRun "masthead help" for usage.`);
      return EXIT.usage;
    }
    if (err instanceof ConfigError) {
      console.error(err.message);
      return EXIT.config;
    }
    if (isAppError(err)) {
      console.error(`masthead: ${err.message}`);
      return EXIT.failure;
    }
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      console.error(`masthead: the address is already in use (${e.message}). Set PORT to another port.`);
      return EXIT.failure;
    }
    if (e.code === 'ECONNREFUSED') {
      console.error(`masthead: cannot connect to the database (${e.message}). Check DATABASE_URL.`);
      return EXIT.failure;
    }
    console.error('masthead: unexpected error');
    console.error(err);
    return EXIT.failure;
  }
}
