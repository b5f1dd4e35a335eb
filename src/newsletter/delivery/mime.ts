import crypto from 'node:crypto';
import { encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import { encode as qpEncode, wrap as qpWrap } from 'nodemailer/lib/qp';

/**
 * Edition messages for SMTP, built as raw MIME. The edition's text and HTML are the same for
 * every reader except two links, so each body is quoted-printable encoded once, in pieces
 * around the placeholders; a reader's message is those pieces joined with their own links
 * (encoded on their own, between soft line breaks, which decode to nothing). This costs a
 * fraction of building every message with nodemailer's composer, which re-encodes the whole
 * body each time.
 */

export interface EditionLinks {
  unsubscribe: string;
  manage: string;
}

/** The placeholders the composer leaves in both bodies (the contract with src/newsletter/editions). */
const PLACEHOLDER = /\{\{(unsubscribe_url|manage_url)\}\}/;
type Slot = 'unsubscribe_url' | 'manage_url';

// A QP line may be 76 characters with its soft break "=": wrap at 75 so one can be added.
const LINE = 75;
const SOFT_BREAK = '=\r\n';

export function escapeAttr(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A body with its links put in, for the outbox and anything else that wants plain strings. */
export function fillBody(template: string, links: EditionLinks, kind: 'html' | 'text'): string {
  const put = kind === 'html' ? escapeAttr : (s: string) => s;
  return template
    .replaceAll('{{unsubscribe_url}}', put(links.unsubscribe))
    .replaceAll('{{manage_url}}', put(links.manage));
}

const crlf = (s: string) => s.replace(/\r\n|\r|\n/g, '\r\n');
const qp = (s: string) => qpWrap(qpEncode(Buffer.from(s, 'utf8')), LINE);

/** Static pieces already encoded, and which link goes between them. */
interface EncodedBody {
  pieces: string[];
  slots: Slot[];
  kind: 'html' | 'text';
}

function encodeBody(template: string, kind: 'html' | 'text'): EncodedBody {
  const parts = crlf(template).split(PLACEHOLDER);
  const pieces: string[] = [];
  const slots: Slot[] = [];
  parts.forEach((p, i) => (i % 2 === 0 ? pieces.push(qp(p)) : slots.push(p as Slot)));
  return { pieces, slots, kind };
}

function renderBody(b: EncodedBody, links: EditionLinks): string {
  let out = b.pieces[0] ?? '';
  for (let i = 0; i < b.slots.length; i++) {
    const url = b.slots[i] === 'unsubscribe_url' ? links.unsubscribe : links.manage;
    out += SOFT_BREAK + qp(b.kind === 'html' ? escapeAttr(url) : url) + SOFT_BREAK + (b.pieces[i + 1] ?? '');
  }
  return out;
}

/** An RFC 5322 date in UTC. */
function mailDate(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}

function fromHeader(from: { name: string; address: string }): string {
  if (!from.name) return from.address;
  if (/^[\x20-\x7e]*$/.test(from.name) && !from.name.includes('=?'))
    return `"${from.name.replace(/(["\\])/g, '\\$1')}" <${from.address}>`;
  return `${encodeWords(from.name, 'Q', 52)} <${from.address}>`;
}

export interface RawEdition {
  /** The whole message for one reader, ready for SMTP (CRLF line ends, dot-stuffing left to the client). */
  build(m: { to: string; messageId: string; headers: Record<string, string>; links: EditionLinks; date: Date }): Buffer;
}

/** Prepares an edition once: encoded subject and From, both bodies in encoded pieces, a boundary. */
export function compileEdition(e: {
  from: { name: string; address: string };
  subject: string;
  html: string;
  text: string;
}): RawEdition {
  // "=_" never occurs in quoted-printable text, so this boundary cannot clash with a body.
  const boundary = `----=_mh_${crypto.randomBytes(12).toString('hex')}`;
  // The composer refuses line breaks in a subject; should one get through, it must not end the header.
  const subject = foldLines(`Subject: ${encodeWords(e.subject.replace(/[\r\n\u2028\u2029]+/g, ' '), 'Q', 52)}`, 76);
  const from = foldLines(`From: ${fromHeader(e.from)}`, 76);
  const text = encodeBody(e.text, 'text');
  const html = encodeBody(e.html, 'html');
  const part = (type: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n`;
  const textHead = part('text/plain');
  const htmlHead = part('text/html');
  const tail = `\r\n--${boundary}--\r\n`;
  return {
    build(m) {
      let head = `${from}\r\nTo: ${m.to}\r\n${subject}\r\nDate: ${mailDate(m.date)}\r\nMessage-ID: ${m.messageId}\r\n`;
      // Values are ASCII without line breaks (checked by their makers); lists of addresses are
      // folded after each comma, as header folding allows, to keep lines short.
      for (const [name, value] of Object.entries(m.headers))
        head += `${name}: ${value.replace(/>, </g, '>,\r\n <')}\r\n`;
      head += `MIME-Version: 1.0\r\nContent-Type: multipart/alternative;\r\n boundary="${boundary}"\r\n\r\n`;
      return Buffer.from(
        `${head}${textHead}${renderBody(text, m.links)}\r\n${htmlHead}${renderBody(html, m.links)}${tail}`,
        'utf8',
      );
    },
  };
}
