import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Infrastructure and secrets come from here; what editors
 * change lives in the `settings` table.
 */
const boolean = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

// "The Meridian Dispatch <news@example.org>", "\"Name, Inc.\" <news@example.org>" or a bare address.
const MAIL_FROM = /^\s*(?:"?([^"<>\p{Cc}]*?)"?\s*<([^\s<>@"]+@[^\s<>@"]+\.[^\s<>@"]+)>|([^\s<>@"]+@[^\s<>@"]+\.[^\s<>@"]+))\s*$/u;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('localhost'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres|postgresql|file):/, 'must start with postgres://, postgresql:// or file:')
    .optional(),
  PG_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: boolean.default(false),
  PAGE_CACHE: boolean.default(true),
  PAGE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(2000),
  SEED_DEMO: boolean.default(true),
  WORKER_IN_PROCESS: boolean.default(true),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  SMTP_URL: z.url({ protocol: /^smtps?$/, hostname: /./, error: 'must be smtp://user:pass@host:587 or smtps://user:pass@host:465' }).optional(),
  MAIL_FROM: z.string().regex(MAIL_FROM, 'must be an address with a domain, optionally with a name: The Meridian Dispatch <news@example.org>').optional(),
  SMTP_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
  SMTP_RATE_PER_SECOND: z.coerce.number().int().min(1).max(100_000).optional(),
});

export type Env = z.input<typeof schema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dataDir: string;
  mediaDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolMax: number };
  baseUrl: string | undefined;
  logLevel: string;
  trustProxy: boolean;
  pageCache: { enabled: boolean; maxEntries: number };
  seedDemo: boolean;
  /** Background jobs: run a worker inside `serve`, and how many jobs at once. */
  worker: { inProcess: boolean; concurrency: number };
  /**
   * Outgoing mail: SMTP when smtpUrl is set (it may hold a password: never log it),
   * otherwise the local outbox. `from` is also the domain of our Message-IDs.
   */
  mail: { smtpUrl: string | undefined; from: { name: string; address: string }; poolMax: number; ratePerSecond: number | undefined };
}

export class ConfigError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Validates the environment once; reports every invalid key together. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Treat empty strings as unset so `PORT= npm start` behaves like no PORT at all.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  // Mail from a made-up address would be rejected or marked as spam: SMTP needs a real one.
  const crossIssues = cleaned.SMTP_URL && !cleaned.MAIL_FROM ? ['MAIL_FROM: required when SMTP_URL is set'] : [];
  if (!parsed.success || crossIssues.length > 0) {
    throw new ConfigError([...(parsed.error?.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`) ?? []), ...crossIssues]);
  }
  const e = parsed.data;
  const from = MAIL_FROM.exec(e.MAIL_FROM ?? 'Masthead <outbox@masthead.invalid>');
  const dataDir = path.resolve(e.DATA_DIR);
  const url = e.DATABASE_URL;
  const database: Config['database'] =
    url === undefined
      ? { kind: 'sqlite', file: path.join(dataDir, 'masthead.db') }
      : url.startsWith('file:')
        ? { kind: 'sqlite', file: path.resolve(url.slice('file:'.length)) }
        : { kind: 'postgres', url, poolMax: e.PG_POOL_MAX };
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir,
    mediaDir: path.join(dataDir, 'media'),
    database,
    baseUrl: e.BASE_URL?.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    pageCache: { enabled: e.PAGE_CACHE, maxEntries: e.PAGE_CACHE_MAX_ENTRIES },
    seedDemo: e.SEED_DEMO,
    worker: { inProcess: e.WORKER_IN_PROCESS, concurrency: e.WORKER_CONCURRENCY },
    mail: {
      smtpUrl: e.SMTP_URL,
      from: { name: from?.[1]?.trim() ?? '', address: from?.[2] ?? from?.[3] ?? '' },
      poolMax: e.SMTP_POOL_MAX,
      ratePerSecond: e.SMTP_RATE_PER_SECOND,
    },
  };
}
