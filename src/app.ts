import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { ArticlesDeps } from '#articles';
import type { Config } from '#config';
import {
  checkSchema,
  createChangeFeed,
  databaseProblems,
  isDatabaseUnavailable,
  openDatabase,
  type ChangeFeed,
  type Db,
} from '#db';
import type { Clock } from '#lib/clock.ts';
import { systemClock } from '#lib/clock.ts';
import { AppError, isAppError } from '#lib/errors.ts';
import type { AccountsDeps } from '#accounts';
import { createJobQueue, JobRunner, type JobQueue } from '#jobs';
import { createMailer, type MailDeps } from '#mail';
import { startSending, type NewsletterDeps } from '#newsletter';
import type { EditionsDeps } from '#editions';
import { defaultSettings, getSettings, type SettingsDeps } from '#settings';
import { jobHandlers } from './job-handlers.ts';
import { registerNewsroom } from './newsroom/index.ts';
import {
  emptySlots,
  helmetHeaders,
  PageCache,
  registerSecurityHeaders,
  registerSite,
  renderErrorPage,
  setSecurityHeaders,
  type SiteRuntime,
  type SiteSlots,
  createNewsletterSlot,
  LatestEdition,
  registerNewsletterRoutes,
  registerBounceWebhook,
  AppealHolder,
  supportSlots,
  registerSupportRoutes,
} from '#site';
import { createSupport, getAppealSettings, type SupportDeps } from '#support';

export interface AppOptions {
  config: Config;
  /** An already open database (tests, CLI); otherwise opened from the config and closed with the app. */
  db?: Db;
  /**
   * Close `db` with the app, last, after the worker and the change feed have let go of their
   * connections. A caller that adds its own onClose hook instead gets it run first (Fastify
   * runs them in reverse order), and on PostgreSQL the pool then waits for ever.
   */
  closeDb?: boolean;
  clock?: Clock;
  slots?: SiteSlots;
  logger?: boolean;
}

export interface Services {
  config: Config;
  db: Db;
  clock: Clock;
  articles: ArticlesDeps;
  settings: SettingsDeps;
  accounts: AccountsDeps;
  mail: MailDeps;
  newsletter: NewsletterDeps;
  support: SupportDeps;
  editions: EditionsDeps;
  pageCache: PageCache;
  changeFeed: ChangeFeed;
  jobs: JobQueue;
  /** Starts a job worker in this process (stopped when the app closes). */
  startWorker(): JobRunner;
}

declare module 'fastify' {
  interface FastifyInstance {
    masthead: Services;
  }
}

// Every directive spelled out: nothing loads from anywhere but our own origin.
const PUBLIC_CSP = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  manifestSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  upgradeInsecureRequests: null,
};

/** What a 503 asks readers and caches to wait before trying again. */
const RETRY_AFTER_SECONDS = 30;

/** Builds the whole application without listening; the server and tests both use it. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { config } = opts;
  const clock = opts.clock ?? systemClock;
  const ownsDb = !opts.db || opts.closeDb === true;
  const db = opts.db ?? openDatabase(config.database);
  const status = await checkSchema(db);
  if (status.pending.length > 0) {
    if (ownsDb) await db.close();
    throw new AppError(
      500,
      'DB_SCHEMA_PENDING',
      `The database needs migrating (pending: ${status.pending.join(', ')}). Run: masthead migrate`,
    );
  }

  // Helmet's headers for our fixed configuration, worked out once (security-headers.ts).
  const securityHeaders = helmetHeaders({
    // Forms that end in a redirect to Stripe's hosted pages must be allowed to go there (Chromium applies form-action to redirects).
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...PUBLIC_CSP,
        formAction: [
          "'self'",
          ...(config.support.stripe ? ['https://checkout.stripe.com', 'https://billing.stripe.com'] : []),
        ],
      },
    },
    crossOriginEmbedderPolicy: false,
    // Feed readers show our images on their own pages.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: config.env === 'production' ? { maxAge: 31536000, includeSubDomains: false } : false,
  });

  let site: SiteRuntime | null = null;
  const app = Fastify({
    logger:
      opts.logger === false
        ? false
        : {
            level: config.logLevel,
            // Readers' and staff's secrets never reach the log.
            redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
          },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // No per-request log lines: they would record readers' addresses and what they read.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 200 },
    // Malformed addresses (bad percent-encoding, over-long parameters) get our error page,
    // not Fastify's JSON echo of the URL.
    frameworkErrors: (err, _request, genericReply) => {
      const reply = genericReply as unknown as FastifyReply;
      const status =
        typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
      setSecurityHeaders(reply.raw, securityHeaders);
      void renderErrorPage(site, status, 'That address is not valid.').then((body) =>
        reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body),
      );
    },
  });

  await fs.mkdir(config.mediaDir, { recursive: true });
  const pageCache = new PageCache(config.pageCache.maxEntries);
  const changeFeed = await createChangeFeed(db);
  changeFeed.subscribe(() => pageCache.clear());
  const contentChanged = () => changeFeed.publish();
  let worker: JobRunner | null = null;
  const jobs = createJobQueue(db, clock, () => worker?.wake());
  const articles: ArticlesDeps = { db, clock, mediaDir: config.mediaDir, contentChanged, jobs };
  const settings: SettingsDeps = {
    db,
    clock,
    defaults: defaultSettings(config.baseUrl ?? `http://localhost:${config.port}`),
    contentChanged,
  };
  const mailer = createMailer({
    db,
    clock,
    config: config.mail,
    onError: (err) => app.log.warn({ err }, 'mail transport error'),
  });
  const mail: MailDeps = { db, clock, mailer, jobs };
  const newsletter: NewsletterDeps = { db, clock, jobs, mailer, settings, fromAddress: config.mail.from.address };
  // Editions are rendered here and handed to the delivery engine, which fixes the audience.
  const editions: EditionsDeps = {
    db,
    clock,
    jobs,
    mailer,
    settings,
    articles,
    contentChanged,
    startSending: async (id) => void (await startSending(newsletter, id)),
  };
  const support = createSupport(
    { db, clock, jobs, mailer, settings },
    config.support.stripe,
    config.support.checkoutLimits,
  );
  const startWorker = (): JobRunner => {
    worker ??= new JobRunner({
      db,
      clock,
      handlers: jobHandlers({
        articles,
        mail,
        support,
        newsletter,
        delivery: { ...newsletter, mail: config.mail, sending: config.newsletter },
        editions,
      }),
      concurrency: config.worker.concurrency,
      onError: (err, job) => app.log.warn({ err, job }, 'job failed'),
    });
    worker.start();
    return worker;
  };
  const accounts: AccountsDeps = { db, clock, publicationName: async () => (await getSettings(settings)).name };
  app.decorate('masthead', {
    config,
    db,
    clock,
    articles,
    settings,
    accounts,
    mail,
    newsletter,
    support,
    editions,
    pageCache,
    changeFeed,
    jobs,
    startWorker,
  });

  registerSecurityHeaders(app, securityHeaders);

  app.setErrorHandler(async (err: FastifyError | AppError, request, reply) => {
    // The database is down, frozen or full: say so with a 503 the reader (and a CDN) may
    // retry, and render the bare page, which needs no database. Cached pages never get here.
    if (isDatabaseUnavailable(err)) {
      request.log.warn(
        { code: (err as { code?: unknown }).code, message: err.message, url: request.url },
        'database unavailable',
      );
      reply.code(503).header('cache-control', 'no-store').header('retry-after', String(RETRY_AFTER_SECONDS));
      if (request.method === 'HEAD') return reply.send();
      return reply.type('text/html; charset=utf-8').send(await renderErrorPage(null, 503, ''));
    }
    const status = isAppError(err)
      ? err.status
      : typeof err.statusCode === 'number' && err.statusCode >= 400
        ? err.statusCode
        : 500;
    if (status >= 500) request.log.error({ err, method: request.method, url: request.url }, 'request failed');
    else request.log.info({ code: err.code, status }, 'request refused');
    const message = isAppError(err) || status < 500 ? err.message : 'Internal error';
    reply.code(status).header('cache-control', 'no-store');
    if (request.method === 'HEAD') return reply.send();
    return reply.type('text/html; charset=utf-8').send(await renderErrorPage(site, status, message));
  });

  app.setNotFoundHandler(async (request, reply) => {
    reply.code(404).header('cache-control', 'no-store').type('text/html; charset=utf-8');
    return reply.send(
      await renderErrorPage(site, 404, 'There is no page at this address. It may have moved or been unpublished.'),
    );
  });

  // Liveness: the process answers. It never asks the database, so a database outage does
  // not make an orchestrator restart every web process (which would drop the cached pages).
  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });

  // Readiness: everything serving needs, checked now. The reasons go to the log only.
  app.get('/readyz', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const problems = await databaseProblems(db).catch((err: unknown) => [`database: ${(err as Error).message}`]);
    try {
      await fs.mkdir(config.mediaDir, { recursive: true });
      await fs.access(config.mediaDir, fsConstants.W_OK);
    } catch (err) {
      problems.push(`media directory not writable: ${(err as Error).message}`);
    }
    if (problems.length === 0) return { status: 'ready' };
    request.log.warn({ problems }, 'not ready');
    return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send({ status: 'unavailable' });
  });

  // The signup block's Preview link: reloaded after every public change, here and in other processes.
  const latestEdition = new LatestEdition(editions, () => pageCache.clear());
  changeFeed.subscribe(() => void latestEdition.refresh());
  await latestEdition.refresh();

  // The appeal's settings for the synchronous page slots, reloaded after every public change.
  const appealDeps = { db, clock, publicationName: async () => (await getSettings(settings)).name };
  const appeal = new AppealHolder(await getAppealSettings(appealDeps), () => getAppealSettings(appealDeps));
  changeFeed.subscribe(
    () =>
      void appeal.refresh().then(
        (changed) => changed && pageCache.clear(),
        () => undefined,
      ),
  );

  site = await registerSite(app, {
    articles,
    settings,
    pageCache,
    cacheEnabled: config.pageCache.enabled,
    slots: opts.slots ?? {
      ...emptySlots,
      ...supportSlots(appeal, support.provider, (ctx) => ctx.settings.name),
      newsletter: createNewsletterSlot(latestEdition),
    },
    mediaDir: config.mediaDir,
  });

  registerNewsletterRoutes(app, site);
  registerSupportRoutes(app, site, appeal);
  registerBounceWebhook(app);

  await registerNewsroom(app);

  // The one stop order: the server has stopped taking requests when this runs; the worker
  // stops claiming and lets its jobs finish or give back their work, then the mail pool,
  // then the change feed's listening connection, and the database pool last.
  app.addHook('onClose', async () => {
    await worker?.stop();
    await mailer.close();
    await changeFeed.close();
    if (ownsDb) await db.close();
  });
  return app;
}
