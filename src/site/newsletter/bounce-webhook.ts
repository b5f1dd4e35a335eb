import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { isAppError } from '#lib/errors.ts';
import * as newsletter from '#newsletter';

interface Params {
  secret: string;
}

function jsonError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error: { code, message } });
}

/**
 * The bounce and complaint webhook: POST /webhooks/newsletter/bounces/<secret>. It takes
 * JSON (our generic format or Postmark's), or a raw DSN / ARF / auto-reply message as
 * message/rfc822 (what an MTA pipe or an inbound-mail service forwards). The secret in the
 * path is the only authority; the newsroom shows the URL to admins and can rotate it.
 * Answers are JSON, 200 with what was done, or 4xx with a message; never 500 for bad input.
 */
export function registerBounceWebhook(app: FastifyInstance): void {
  const deps = app.masthead.newsletter;
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      ['message/rfc822', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: newsletter.REPORT_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    scope.setErrorHandler((err: FastifyError, _request, reply) => {
      if (isAppError(err)) return jsonError(reply, err.status, err.code, err.message);
      const status =
        typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) scope.log.error({ err }, 'bounce webhook failed');
      return jsonError(
        reply,
        status,
        status === 500 ? 'INTERNAL' : (err.code ?? 'BAD_REQUEST'),
        status === 500 ? 'Internal error; the notification was not applied, send it again.' : err.message,
      );
    });

    scope.post<{ Params: Params }>('/webhooks/newsletter/bounces/:secret', async (request, reply) => {
      if (!(await newsletter.isBounceWebhookSecret(deps, request.params.secret)))
        return jsonError(reply, 404, 'NOT_FOUND', 'Unknown webhook.');
      const body: unknown = request.body;
      let findings: newsletter.BounceFinding[];
      if (Buffer.isBuffer(body)) {
        if (body.length === 0) return jsonError(reply, 400, 'BOUNCE_EMPTY', 'The message is empty.');
        findings = await newsletter.readReport(body);
      } else if (body !== undefined && body !== null && typeof body === 'object') {
        findings = newsletter.readJsonNotification(body);
      } else {
        return jsonError(reply, 415, 'BOUNCE_MEDIA_TYPE', 'Send application/json or message/rfc822.');
      }
      const summary = await newsletter.ingestFindings(deps, findings);
      return reply.header('cache-control', 'no-store').send({ received: findings.length, ...summary });
    });
  });
}
