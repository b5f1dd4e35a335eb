import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { siteAddressSchema } from '#lib/site-address.ts';

/**
 * The only reader of process.env. Infrastructure and secrets come from here; what editors
 * change lives in the `settings` table.
 */
const boolean = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

// "The Meridian Dispatch <news@example.org>", "\"Name, Inc.\" <news@example.org>" or a bare address.
const MAIL_FROM =
  /^\s*(?:"?([^"<>\p{Cc}]*?)"?\s*<([^\s<>@"]+@[^\s<>@"]+\.[^\s<>@"]+)>|([^\s<>@"]+@[^\s<>@"]+\.[^\s<>@"]+))\s*$/u;

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
  PG_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  BASE_URL: siteAddressSchema.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: boolean.default(false),
  PAGE_CACHE: boolean.default(true),
  PAGE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(2000),
  SEED_DEMO: boolean.default(true),
  WORKER_IN_PROCESS: boolean.default(true),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  WORKER_NICENESS: z.coerce.number().int().min(0).max(19).default(10),
  SMTP_URL: z
    .url({
      protocol: /^smtps?$/,
      hostname: /./,
      error: 'must be smtp://user:pass@host:587 or smtps://user:pass@host:465',
    })
    .optional(),
  MAIL_FROM: z
    .string()
    .regex(
      MAIL_FROM,
      'must be an address with a domain, optionally with a name: The Meridian Dispatch <news@example.org>',
    )
    .optional(),
  SMTP_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
  SMTP_RATE_PER_SECOND: z.coerce.number().int().min(1).max(100_000).optional(),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/, 'must be a Stripe secret or restricted key (sk_live_…, sk_test_…)')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_+/=]+$/, 'must be the endpoint signing secret (whsec_…)')
    .optional(),
  STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
  SUPPORT_CHECKOUTS_PER_NETWORK_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(10),
  SUPPORT_CHECKOUTS_PER_HOUR: z.coerce.number().int().min(1).max(10_000_000).default(300),
  NEWSLETTER_SMTP_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(8),
  NEWSLETTER_RATE_PER_SECOND: z.coerce.number().int().min(1).max(100_000).optional(),
  NEWSLETTER_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
  NEWSLETTER_SEND_LANES: z.coerce.number().int().min(1).max(16).default(2),
  NEWSLETTER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  NEWSLETTER_RETRY_BASE_MS: z.coerce.number().int().min(10).max(86_400_000).default(60_000),
  DKIM_PRIVATE_KEY: z.string().optional(),
  DKIM_PRIVATE_KEY_FILE: z.string().optional(),
  DKIM_SELECTOR: z
    .string()
    .regex(
      /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/,
      'must be a DNS label such as mail2026',
    )
    .optional(),
  DKIM_DOMAIN: z
    .string()
    .regex(
      /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/,
      'must be a domain such as example.org',
    )
    .optional(),
});

export type Env = z.input<typeof schema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  dataDir: string;
  mediaDir: string;
  database:
    | { kind: 'sqlite'; file: string }
    | { kind: 'postgres'; url: string; poolMax: number; connectTimeoutMs: number; statementTimeoutMs: number };
  baseUrl: string | undefined;
  logLevel: string;
  trustProxy: boolean;
  pageCache: { enabled: boolean; maxEntries: number };
  seedDemo: boolean;
  /** Background jobs: run a worker inside `serve`, and how many jobs at once. */
  worker: { inProcess: boolean; concurrency: number; niceness: number };
  /**
   * Outgoing mail: SMTP when smtpUrl is set (it may hold a password: never log it),
   * otherwise the local outbox. `from` is also the domain of our Message-IDs.
   */
  mail: {
    smtpUrl: string | undefined;
    from: { name: string; address: string };
    poolMax: number;
    ratePerSecond: number | undefined;
  };
  /**
   * Reader support: Stripe when both keys are set (secrets: never log them), otherwise the
   * built-in test provider. apiBase points the SDK elsewhere (the offline stand-in in tests).
   */
  support: {
    stripe: { secretKey: string; webhookSecret: string; apiBase: string | undefined } | null;
    checkoutLimits: { perNetwork: number; global: number };
  };
  /**
   * Newsletter delivery: its own SMTP pool (`connections`, at most `ratePerSecond`), claimed
   * in batches by `lanes` jobs per edition; transient failures retried `maxAttempts` times
   * from `retryBaseMs`, doubling. `dkim` signs every edition when a key is configured (the
   * key is a secret: never log it).
   */
  newsletter: {
    connections: number;
    ratePerSecond: number | undefined;
    batchSize: number;
    lanes: number;
    maxAttempts: number;
    retryBaseMs: number;
    dkim: { domainName: string; keySelector: string; privateKey: string } | undefined;
  };
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
  // Half a Stripe configuration would take money without hearing about it (or the reverse).
  if (Boolean(cleaned.STRIPE_SECRET_KEY) !== Boolean(cleaned.STRIPE_WEBHOOK_SECRET))
    crossIssues.push('STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET: set both or neither');
  const dkimKey = readDkimKey(cleaned, crossIssues);
  if (!parsed.success || crossIssues.length > 0) {
    throw new ConfigError([
      ...(parsed.error?.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`) ?? []),
      ...crossIssues,
    ]);
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
        : {
            kind: 'postgres',
            url,
            poolMax: e.PG_POOL_MAX,
            connectTimeoutMs: e.PG_CONNECT_TIMEOUT_MS,
            statementTimeoutMs: e.PG_STATEMENT_TIMEOUT_MS,
          };
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir,
    mediaDir: path.join(dataDir, 'media'),
    database,
    baseUrl: e.BASE_URL,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    pageCache: { enabled: e.PAGE_CACHE, maxEntries: e.PAGE_CACHE_MAX_ENTRIES },
    seedDemo: e.SEED_DEMO,
    worker: { inProcess: e.WORKER_IN_PROCESS, concurrency: e.WORKER_CONCURRENCY, niceness: e.WORKER_NICENESS },
    mail: {
      smtpUrl: e.SMTP_URL,
      from: { name: from?.[1]?.trim() ?? '', address: from?.[2] ?? from?.[3] ?? '' },
      poolMax: e.SMTP_POOL_MAX,
      ratePerSecond: e.SMTP_RATE_PER_SECOND,
    },
    support: {
      stripe:
        e.STRIPE_SECRET_KEY && e.STRIPE_WEBHOOK_SECRET
          ? { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET, apiBase: e.STRIPE_API_BASE }
          : null,
      // Checkouts per network and in total per hour: the card-testing brakes (429 beyond).
      checkoutLimits: { perNetwork: e.SUPPORT_CHECKOUTS_PER_NETWORK_HOUR, global: e.SUPPORT_CHECKOUTS_PER_HOUR },
    },
    newsletter: {
      connections: e.NEWSLETTER_SMTP_CONNECTIONS,
      ratePerSecond: e.NEWSLETTER_RATE_PER_SECOND,
      batchSize: e.NEWSLETTER_BATCH_SIZE,
      lanes: e.NEWSLETTER_SEND_LANES,
      maxAttempts: e.NEWSLETTER_MAX_ATTEMPTS,
      retryBaseMs: e.NEWSLETTER_RETRY_BASE_MS,
      dkim:
        dkimKey === undefined
          ? undefined
          : {
              domainName: (e.DKIM_DOMAIN ?? (from?.[2] ?? from?.[3] ?? '').split('@')[1] ?? '').toLowerCase(),
              keySelector: e.DKIM_SELECTOR ?? '',
              privateKey: dkimKey,
            },
    },
  };
}

/**
 * The DKIM private key, from DKIM_PRIVATE_KEY (PEM; `\n` may stand for line breaks, as
 * many hosts take one-line variables) or DKIM_PRIVATE_KEY_FILE. Problems are added to
 * `issues` without ever quoting the key.
 */
function readDkimKey(env: Record<string, string | undefined>, issues: string[]): string | undefined {
  let pem: string | undefined;
  if (env.DKIM_PRIVATE_KEY && env.DKIM_PRIVATE_KEY_FILE)
    issues.push('DKIM_PRIVATE_KEY_FILE: give either DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE, not both');
  else if (env.DKIM_PRIVATE_KEY) pem = env.DKIM_PRIVATE_KEY.replace(/\\n/g, '\n');
  else if (env.DKIM_PRIVATE_KEY_FILE) {
    try {
      pem = fs.readFileSync(path.resolve(env.DKIM_PRIVATE_KEY_FILE), 'utf8');
    } catch {
      issues.push('DKIM_PRIVATE_KEY_FILE: cannot read that file');
      return undefined;
    }
  }
  if (pem === undefined) {
    if (env.DKIM_SELECTOR)
      issues.push('DKIM_SELECTOR: set DKIM_PRIVATE_KEY or DKIM_PRIVATE_KEY_FILE too, or remove it');
    return undefined;
  }
  try {
    const key = crypto.createPrivateKey(pem);
    // nodemailer signs with rsa-sha256 only.
    if (key.asymmetricKeyType !== 'rsa')
      issues.push('DKIM_PRIVATE_KEY: must be an RSA private key (2048 bits is usual)');
  } catch {
    issues.push('DKIM_PRIVATE_KEY: not a PEM private key');
    return undefined;
  }
  if (!env.DKIM_SELECTOR)
    issues.push('DKIM_SELECTOR: required with a DKIM key (the name of its DNS record, <selector>._domainkey.<domain>)');
  if (!env.DKIM_DOMAIN && !env.MAIL_FROM)
    issues.push('DKIM_DOMAIN: required with a DKIM key when MAIL_FROM is not set');
  return pem;
}
