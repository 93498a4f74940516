import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

/** What a real SMTP server on loopback kept of one mail it received. */
export interface CapturedMail {
  /** Envelope recipients. */
  to: string[];
  /** Envelope sender ('' for `<>`). */
  from: string;
  subject: string;
  text: string;
  /** The bytes as received. */
  raw: Buffer;
  /** mailparser's view of it (headers, attachments). */
  parsed: ParsedMail;
}

export interface CaptureServer {
  port: number;
  /** `smtp://127.0.0.1:<port>`: what MAIL_RELAY_URL is set to in a test. */
  url: string;
  mails: CapturedMail[];
  /** Resolves when at least `n` mails have arrived (no sleeps in tests). */
  waitFor(n: number, timeoutMs?: number): Promise<CapturedMail[]>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on loopback that keeps what it receives: the relay the service mails through
 * in tests. `refuse` (settable) makes it answer 451 to every message, to test retries.
 */
export async function startCaptureServer(): Promise<CaptureServer & { refuse: boolean }> {
  const mails: CapturedMail[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const state = { refuse: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', callback);
      stream.on('end', () => {
        if (state.refuse) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            mails.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              raw,
              parsed,
            });
            for (const w of waiters.filter((w) => mails.length >= w.n)) w.resolve();
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    get refuse() {
      return state.refuse;
    },
    set refuse(v: boolean) {
      state.refuse = v;
    },
    waitFor(n, timeoutMs = 10_000) {
      if (mails.length >= n) return Promise.resolve(mails);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${mails.length} of ${n} mails arrived within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve(mails)) });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
