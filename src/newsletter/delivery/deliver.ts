import crypto from 'node:crypto';
import type { Config } from '#config';
import { toDbTime } from '#db';
import type { JobContext } from '#jobs';
import { getSettings } from '#settings';
import type { NewsletterDeps } from '../service.ts';
import { applyBounce } from '../suppression.ts';
import { hmacKey, manageToken } from '../tokens.ts';
import * as q from './queries.ts';
import { DELIVER_JOB, deliverJobKey, type DeliverPayload } from './jobs.ts';
import { messageIdDomain } from './service.ts';
import {
  createEditionTransport,
  type EditionBody,
  type EditionMessage,
  type EditionTransport,
  type SendFailure,
} from './transport.ts';
import { stripControlChars } from '#lib/control-chars.ts';

/** What the sending job needs: the newsletter's services and the transport settings. */
export interface DeliveryDeps extends NewsletterDeps {
  mail: Config['mail'];
  sending: Config['newsletter'] & {
    /** How long a claimed batch stays this lane's without renewal (renewed every third of it). */
    leaseMs?: number;
    /** Longest wait between looks when only other lanes' rows or later retries remain. */
    pollMs?: number;
  };
}

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_POLL_MS = 1000;

/** Everything that is the same for every recipient of one edition. */
interface EditionFrame {
  id: number;
  body: EditionBody;
  baseUrl: string;
  listId: string;
  mailtoDomain: string;
  key: Buffer;
}

/** RFC 2919 List-Id: the publication's name as the phrase, `newsletter.<domain>` as the id. */
export function listIdHeader(publicationName: string, fromAddress: string): string {
  const phrase = stripControlChars(publicationName).replace(/["\\]/g, '').trim().slice(0, 100);
  const id = `<newsletter.${messageIdDomain(fromAddress)}>`;
  if (!phrase) return id;
  // A name outside printable ASCII goes as an RFC 2047 encoded word; the id itself is ASCII.
  if (/^[\x20-\x7e]*$/.test(phrase)) return `"${phrase}" ${id}`;
  return `=?UTF-8?B?${Buffer.from(phrase, 'utf8').toString('base64')}?= ${id}`;
}

/** One recipient's message: their own links in both bodies and the list headers. */
export function personalise(f: EditionFrame, to: { id: number; email: string }, messageId: string): EditionMessage {
  const token = manageToken(f.key, to.id);
  const unsubscribe = `${f.baseUrl}/newsletter/unsubscribe/${token}`;
  const manage = `${f.baseUrl}/newsletter/manage/${token}`;
  return {
    to: to.email,
    body: f.body,
    links: { unsubscribe, manage },
    headers: {
      // The same two addresses listUnsubscribeHeaders gives (RFC 8058), built without a query per message.
      'List-Unsubscribe': `<${unsubscribe}>, <mailto:unsubscribe+${token}@${f.mailtoDomain}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': f.listId,
    },
    messageId,
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The delay before retry number `attempt` (1-based): base × 2^(attempt-1), ±25 %, so a server that was down is not hit by everyone at once. */
export function retryDelay(baseMs: number, attempt: number): number {
  const d = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(d * (0.75 + crypto.randomInt(0, 501) / 1000));
}

/**
 * Sends one claimed batch and records every outcome in one transaction: sent; skipped (the
 * subscriber left or was erased after the audience was fixed); failed with a hard bounce
 * (5xx); back to the queue with a later time (4xx, connection trouble) until maxAttempts,
 * then failed. If the process dies before the transaction commits, the batch's lease runs
 * out and it is sent again with the same Message-IDs.
 */
async function sendBatch(
  deps: DeliveryDeps,
  frame: EditionFrame,
  transport: EditionTransport,
  batch: q.ClaimedDelivery[],
  leaseMs: number,
): Promise<void> {
  const k = deps.db.kysely;
  const people = await q.recipients(
    k,
    batch.flatMap((d) => (d.subscriber_id === null ? [] : [d.subscriber_id])),
  );
  const ids = batch.map((d) => d.id);
  const renewal = setInterval(
    () => {
      void q.renewLease(k, ids, toDbTime(new Date(deps.clock.now().getTime() + leaseMs))).catch(() => {});
    },
    Math.max(50, Math.floor(leaseMs / 3)),
  );
  const sent: number[] = [];
  const skipped: number[] = [];
  const failures: { d: q.ClaimedDelivery; f: SendFailure }[] = [];
  try {
    await Promise.all(
      batch.map(async (d) => {
        const who = d.subscriber_id === null ? undefined : people.get(d.subscriber_id);
        if (!who || who.status !== 'active') {
          skipped.push(d.id);
          return;
        }
        try {
          await transport.send(personalise(frame, who, d.message_id));
          sent.push(d.id);
        } catch (err) {
          const f = err as Partial<SendFailure>;
          failures.push({
            d,
            f: { permanent: f.permanent === true, reason: typeof f.reason === 'string' ? f.reason : 'send failed' },
          });
        }
      }),
    );
  } finally {
    clearInterval(renewal);
  }
  const now = deps.clock.now();
  const nowDb = toDbTime(now);
  await k.transaction().execute(async (trx) => {
    await q.settle(trx, sent, { status: 'sent', sent_at: nowDb, last_error: null });
    await q.settle(trx, skipped, { status: 'skipped' });
    for (const { d, f } of failures) {
      if (f.permanent) {
        await q.settle(trx, [d.id], { status: 'failed', last_error: f.reason });
        if (d.subscriber_id !== null)
          await applyBounce(
            deps,
            d.subscriber_id,
            { kind: 'hard', source: 'smtp', detail: f.reason, editionId: frame.id },
            trx,
          );
      } else if (d.attempts >= deps.sending.maxAttempts) {
        await q.settle(trx, [d.id], {
          status: 'failed',
          last_error: `${f.reason} (gave up after ${d.attempts} attempts)`,
        });
      } else {
        const at = toDbTime(new Date(now.getTime() + retryDelay(deps.sending.retryBaseMs, d.attempts)));
        await q.settle(trx, [d.id], { status: 'queued', next_attempt_at: at, last_error: f.reason });
      }
    }
  });
}

/**
 * One lane of an edition's send: claims batches until none is left, then marks the edition
 * sent if nothing remains anywhere. Returns early when the edition is paused (resume starts
 * a new job) or the worker stops (the job runs again later). Lane 0 starts the other lanes,
 * so several workers can share one send.
 */
export async function runLane(
  deps: DeliveryDeps,
  editionId: number,
  lane: number,
  signal: AbortSignal,
  pool: SharedTransport = sharedTransport(deps),
): Promise<void> {
  const k = deps.db.kysely;
  const edition = await q.findEdition(k, editionId);
  if (!edition || edition.status !== 'sending' || edition.rendered_html === null || edition.rendered_text === null)
    return;
  if (lane === 0) {
    for (let i = 1; i < deps.sending.lanes; i++) {
      await deps.jobs.enqueue(DELIVER_JOB, { editionId, lane: i }, { uniqueKey: deliverJobKey(editionId, i) });
    }
  }
  const settings = await getSettings(deps.settings);
  const frame: EditionFrame = {
    id: editionId,
    body: { subject: edition.subject, html: edition.rendered_html, text: edition.rendered_text },
    baseUrl: settings.baseUrl.replace(/\/+$/, ''),
    listId: listIdHeader(settings.name, deps.fromAddress),
    mailtoDomain: deps.fromAddress.slice(deps.fromAddress.lastIndexOf('@') + 1),
    key: await hmacKey(k, toDbTime(deps.clock.now())),
  };
  const leaseMs = deps.sending.leaseMs ?? DEFAULT_LEASE_MS;
  const pollMs = deps.sending.pollMs ?? DEFAULT_POLL_MS;
  const transport = pool.acquire();
  try {
    while (!signal.aborted) {
      const now = deps.clock.now();
      const batch = await q.claimBatch(k, deps.db.dialect, {
        editionId,
        now: toDbTime(now),
        leaseUntil: toDbTime(new Date(now.getTime() + leaseMs)),
        limit: deps.sending.batchSize,
      });
      if (batch.length > 0) {
        await sendBatch(deps, frame, transport, batch, leaseMs);
        continue;
      }
      if (await q.finishIfDone(k, editionId, toDbTime(deps.clock.now()))) return;
      if ((await q.editionStatus(k, editionId)) !== 'sending') return;
      // Left: retries due later, or batches other lanes hold. Wait for the first of them.
      const left = await q.pending(k, editionId);
      const until = left.nextAt ? new Date(left.nextAt).getTime() - deps.clock.now().getTime() : pollMs;
      await sleep(Math.max(20, Math.min(pollMs, until + 5)), signal);
    }
    // The worker is stopping mid-send: fail this run so the job is taken up again.
    throw new Error('the worker stopped before the edition was sent');
  } finally {
    await pool.release();
  }
}

interface SharedTransport {
  acquire(): EditionTransport;
  release(): Promise<void>;
}

/**
 * One SMTP pool per worker process, shared by every lane it runs: NEWSLETTER_SMTP_CONNECTIONS
 * is then the process's connection count whatever the number of lanes, and the lanes fill
 * each other's gaps (claiming, recording) instead of opening connections of their own. The
 * pool opens with the first lane and closes with the last.
 */
function sharedTransport(deps: DeliveryDeps): SharedTransport {
  let open: EditionTransport | null = null;
  let users = 0;
  return {
    acquire() {
      users++;
      open ??= createEditionTransport({
        mailer: deps.mailer,
        clock: deps.clock,
        mail: deps.mail,
        newsletter: deps.sending,
      });
      return open;
    },
    async release() {
      users--;
      if (users === 0 && open) {
        const t = open;
        open = null;
        await t.close();
      }
    },
  };
}

/**
 * The work of `newsletter.deliver` jobs: runs one lane of one edition's send. The returned
 * function keeps one SMTP pool for all the lanes this process runs.
 */
export function laneRunner(deps: DeliveryDeps): (p: DeliverPayload, ctx: JobContext) => Promise<void> {
  const pool = sharedTransport(deps);
  return (p, ctx) => runLane(deps, p.editionId, p.lane, ctx.signal, pool);
}
