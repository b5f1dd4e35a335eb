// A real SMTP server on loopback that misbehaves on purpose, for delivery tests and the
// benchmark: per-recipient temporary or permanent refusals, a connection dropped after the
// message data, a slow answer to every message. It records what it accepted (recipient and
// Message-ID) and how often each recipient was tried. Not for production code.
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type Fault =
  /** Answer RCPT TO with 451 the next `times` times, then accept. */
  | { kind: 'tempfail'; times: number }
  /** Answer RCPT TO with 550 every time. */
  | { kind: 'reject' }
  /** Read the whole message, then close the connection without answering, the next `times` times. */
  | { kind: 'drop-after-data'; times: number };

export interface AcceptedMail {
  to: string;
  messageId: string;
  /** The raw message, unless the server was started with `keep: false`. */
  raw: string | null;
}

export interface FaultySmtp {
  url: string;
  accepted: AcceptedMail[];
  /** How many accepted messages there are; cheap to read when `keep` is false. */
  readonly acceptedCount: number;
  /** RCPT TO commands seen per recipient (every attempt, refused or not). */
  tries: Map<string, number>;
  faults: Map<string, Fault>;
  close(): Promise<void>;
}

export async function startFaultySmtp(
  opts: { faults?: Map<string, Fault>; delayMs?: number; keep?: boolean } = {},
): Promise<FaultySmtp> {
  const faults = opts.faults ?? new Map<string, Fault>();
  const keep = opts.keep ?? true;
  const accepted: AcceptedMail[] = [];
  let acceptedCount = 0;
  const tries = new Map<string, number>();
  const sockets = new Map<number, Socket>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 5 * 1024 * 1024,
    onRcptTo(address, _session, cb) {
      const to = address.address.toLowerCase();
      tries.set(to, (tries.get(to) ?? 0) + 1);
      const f = faults.get(to);
      if (f?.kind === 'reject')
        return cb(Object.assign(new Error(`5.1.1 <${to}>: mailbox unavailable`), { responseCode: 550 }));
      if (f?.kind === 'tempfail' && f.times > 0) {
        f.times--;
        return cb(Object.assign(new Error('4.2.1 try again later'), { responseCode: 451 }));
      }
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        if (keep || chunks.length === 0) chunks.push(c);
      });
      stream.on('end', () => {
        const to = session.envelope.rcptTo[0]?.address.toLowerCase() ?? '';
        const f = faults.get(to);
        if (f?.kind === 'drop-after-data' && f.times > 0) {
          f.times--;
          sockets.get(session.remotePort)?.destroy();
          return;
        }
        const data = Buffer.concat(chunks);
        const head = keep ? data.toString('utf8') : data.subarray(0, 16_384).toString('utf8');
        // Copied out, so a kept id does not pin the whole message text in memory (a
        // substring can keep its parent string alive).
        const messageId = Buffer.from(/^Message-ID:\s*(<[^>\r\n]+>)/im.exec(head)?.[1] ?? '').toString();
        const finish = () => {
          acceptedCount++;
          if (keep) accepted.push({ to, messageId, raw: head });
          else accepted.push({ to, messageId, raw: null });
          cb();
        };
        if (opts.delayMs) setTimeout(finish, opts.delayMs);
        else finish();
      });
    },
  });
  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort ?? 0;
    sockets.set(port, socket);
    socket.once('close', () => sockets.delete(port));
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    accepted,
    get acceptedCount() {
      return acceptedCount;
    },
    tries,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets.values()) s.destroy();
        server.close(() => resolve());
      }),
  };
}
