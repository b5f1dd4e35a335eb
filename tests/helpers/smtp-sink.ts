// A real SMTP server on loopback for tests: receives what the mailer sends, parses it, and
// can be told to refuse the next message with any reply code. Not for production code.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The user the client authenticated as, if it did. */
  user: string | undefined;
  raw: string;
  parsed: ParsedMail;
}

export interface SmtpSink {
  /** smtp://user:pass@127.0.0.1:port — ready for SMTP_URL. */
  url: string;
  messages: ReceivedMail[];
  /** Connections opened so far (to see that a pool reuses them). */
  connections: number;
  /** Refuse the next `times` messages at this stage with this reply. */
  refuse(stage: 'rcpt' | 'data', responseCode: number, times?: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpSink(opts: { user?: string; pass?: string } = {}): Promise<SmtpSink> {
  const user = opts.user ?? 'masthead';
  const pass = opts.pass ?? 's3cret pass';
  const messages: ReceivedMail[] = [];
  const refusals: { stage: 'rcpt' | 'data'; responseCode: number }[] = [];
  let connections = 0;
  const takeRefusal = (stage: 'rcpt' | 'data') => {
    const i = refusals.findIndex((r) => r.stage === stage);
    if (i < 0) return null;
    const [r] = refusals.splice(i, 1);
    return Object.assign(new Error(`Refused by the test server (${r?.responseCode})`), {
      responseCode: r?.responseCode,
    });
  };
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, cb) {
      connections++;
      cb();
    },
    onAuth(auth, _session, cb) {
      if (auth.username === user && auth.password === pass) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(_address, _session, cb) {
      cb(takeRefusal('rcpt'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const refusal = takeRefusal('data');
        if (refusal) return cb(refusal);
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              user: typeof session.user === 'string' ? session.user : undefined,
              raw,
              parsed,
            });
            cb();
          },
          (err: Error) => cb(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@127.0.0.1:${port}`,
    messages,
    get connections() {
      return connections;
    },
    refuse(stage, responseCode, times = 1) {
      for (let i = 0; i < times; i++) refusals.push({ stage, responseCode });
    },
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} message(s), got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return messages;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
