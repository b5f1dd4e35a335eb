import type { Headers } from 'mailparser';
import type { BounceFinding } from './types.ts';

/** Reports larger than this are refused before parsing: real DSNs and ARFs are small. */
export const REPORT_MAX_BYTES = 2 * 1024 * 1024;

const MESSAGE_ID = /^message-id:[ \t]*(<[^<>\s]{3,250}>)/gim;

/**
 * Reads a delivery status notification (RFC 3464), an abuse report (ARF, RFC 5965) or an
 * auto-reply, and says what it means for each recipient it names. Anything else yields
 * one finding with kind null: unrecognised mail never suppresses anybody.
 */
export async function readReport(raw: Buffer): Promise<BounceFinding[]> {
  // Loaded on first use: the parser and its HTML-to-text dependencies would otherwise sit in
  // every web process's memory for a webhook most installations call rarely.
  const { simpleParser } = await import('mailparser');
  const mail = await simpleParser(raw, {
    keepDeliveryStatus: true,
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
  });
  const type = contentType(mail.headers);
  const quoted = quotedMessageIds(
    raw,
    mail.attachments.map((a) => a.content),
  );

  if (type.value === 'multipart/report' && type.reportType === 'delivery-status') {
    const part = mail.attachments.find((a) => a.contentType === 'message/delivery-status');
    return part ? readDeliveryStatus(part.content.toString('utf8'), quoted) : [unknown('dsn')];
  }
  if (type.value === 'multipart/report' && type.reportType === 'feedback-report') {
    const part = mail.attachments.find((a) => a.contentType === 'message/feedback-report');
    return part ? [readFeedbackReport(part.content.toString('utf8'), quoted)] : [unknown('arf')];
  }
  if (isAutoReply(mail.headers, mail.subject ?? '')) {
    return [{ kind: 'auto-reply', email: null, messageId: quoted, detail: 'auto-reply', source: 'auto-reply' }];
  }
  return [unknown('mail')];
}

function unknown(source: string): BounceFinding {
  return { kind: null, email: null, messageId: null, detail: 'not a bounce report', source };
}

function contentType(headers: Headers): { value: string; reportType: string } {
  const h = headers.get('content-type');
  if (h && typeof h === 'object' && 'value' in h) {
    const params =
      'params' in h && h.params && typeof h.params === 'object' ? (h.params as Record<string, string>) : {};
    return { value: String(h.value).toLowerCase(), reportType: String(params['report-type'] ?? '').toLowerCase() };
  }
  return { value: '', reportType: '' };
}

/**
 * The Message-ID of the returned original: reports quote its headers (text/rfc822-headers)
 * or the whole message (message/rfc822). The report's own Message-ID is in its top header
 * block, so only what follows the first blank line is searched.
 */
function quotedMessageIds(raw: Buffer, parts: Buffer[]): string | null {
  const text = raw.toString('latin1');
  const bodyStart = text.search(/\r?\n\r?\n/);
  for (const source of [
    text.slice(bodyStart < 0 ? text.length : bodyStart),
    ...parts.map((p) => p.toString('latin1')),
  ]) {
    MESSAGE_ID.lastIndex = 0;
    const m = MESSAGE_ID.exec(source);
    if (m?.[1]) return m[1];
  }
  return null;
}

/** Header-style fields in groups separated by blank lines (RFC 3464 §2.1 and RFC 5965 §3.1). */
function fieldGroups(text: string): Map<string, string>[] {
  const unfolded = text.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ');
  return unfolded
    .split(/\n\s*\n/)
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        const i = line.indexOf(':');
        if (i > 0) fields.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
      }
      return fields;
    })
    .filter((f) => f.size > 0);
}

/** `rfc822; Reader@Example.org` → `reader@example.org`. */
function addressField(value: string | undefined): string | null {
  if (!value) return null;
  const addr = value.includes(';') ? value.slice(value.indexOf(';') + 1) : value;
  const clean = addr.trim().replace(/^<|>$/g, '').toLowerCase();
  return /^[^\s@<>]+@[^\s@<>]+$/.test(clean) ? clean : null;
}

function readDeliveryStatus(text: string, messageId: string | null): BounceFinding[] {
  // The first group describes the reporting MTA; each later one is a recipient.
  const groups = fieldGroups(text).filter((g) => g.has('action') || g.has('final-recipient'));
  if (groups.length === 0) return [unknown('dsn')];
  return groups.map((g) => {
    const action = (g.get('action') ?? '').toLowerCase();
    const status = /^([245])\.\d{1,3}\.\d{1,3}/.exec(g.get('status') ?? '')?.[0] ?? '';
    const email = addressField(g.get('final-recipient')) ?? addressField(g.get('original-recipient'));
    // Only a failure is a bounce: delayed, delivered, relayed and expanded are news, not failures.
    const kind = action === 'failed' ? (status.startsWith('4') ? 'soft' : 'hard') : null;
    return { kind, email, messageId, detail: `${action || 'no action'} ${status}`.trim(), source: 'dsn' };
  });
}

function readFeedbackReport(text: string, messageId: string | null): BounceFinding {
  const fields = new Map<string, string>();
  for (const g of fieldGroups(text)) for (const [k, v] of g) fields.set(k, v);
  const type = (fields.get('feedback-type') ?? '').toLowerCase();
  // "not-spam" reports that a reader rescued a message: never a reason to suppress.
  const kind = type === 'not-spam' || type === '' ? null : 'complaint';
  return {
    kind,
    email: addressField(fields.get('original-rcpt-to')),
    messageId,
    detail: `feedback-type ${type || 'missing'}`,
    source: 'arf',
  };
}

/** RFC 3834's Auto-Submitted, and the older headers and subjects vacation responders use. */
function isAutoReply(headers: Headers, subject: string): boolean {
  const auto = String(headers.get('auto-submitted') ?? '').toLowerCase();
  if (auto && auto !== 'no') return true;
  if (headers.has('x-autoreply') || headers.has('x-autorespond')) return true;
  const precedence = String(headers.get('precedence') ?? '').toLowerCase();
  if (precedence === 'auto_reply') return true;
  return /^(auto(matic)?[ -]?reply|out of (the )?office|autoresponse|abwesenheitsnotiz)\b/i.test(subject.trim());
}
