import net from 'node:net';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

export interface SendResult {
  ok: boolean;
  /** The server's last reply line, e.g. `250 2.6.0 OK: queued as …` or `550 5.1.1 …`. */
  response: string;
  code: number | null;
  accepted: string[];
}

/** Sends raw RFC 822 bytes with a real SMTP client (nodemailer) and reports the server's answer. */
export async function sendRaw(
  port: number,
  opts: { from: string; to: string[]; raw: Buffer; tls?: SMTPTransport.Options['tls']; requireTLS?: boolean; localAddress?: string },
): Promise<SendResult> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    // Another loopback address (127.0.0.2…) as the client's: how tests connect from a feed's or the platform's network.
    localAddress: opts.localAddress,
    port,
    secure: false,
    name: 'client.test.example',
    ignoreTLS: !opts.requireTLS,
    requireTLS: opts.requireTLS ?? false,
    tls: opts.tls,
    connectionTimeout: 10_000,
  } satisfies SMTPTransport.Options);
  try {
    const info = await transport.sendMail({ envelope: { from: opts.from, to: opts.to }, raw: opts.raw });
    return { ok: true, response: info.response, code: Number(info.response.slice(0, 3)), accepted: info.accepted.map(String) };
  } catch (err) {
    const e = err as { response?: string; responseCode?: number; message: string };
    return { ok: false, response: e.response ?? e.message, code: e.responseCode ?? null, accepted: [] };
  } finally {
    transport.close();
  }
}

/** Opens a bare TCP connection and resolves with the server's first reply line (220 or 421). */
export function greeting(port: number): Promise<{ line: string; socket: net.Socket }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buf = '';
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      const i = buf.indexOf('\r\n');
      if (i >= 0) {
        socket.removeAllListeners('data');
        resolve({ line: buf.slice(0, i), socket });
      }
    });
    socket.once('error', reject);
  });
}

/** A small message from a string, CRLF line ends. */
export function message(subject: string, body = 'hello'): Buffer {
  return Buffer.from(`From: Spammer <spam@sender.example>\r\nTo: victim@example.org\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@sender.example>\r\n\r\n${body}\r\n`);
}

/** A raw SMTP conversation: sends each command and collects the reply, for what nodemailer will not do (several RCPT answers in one transaction, two transactions on one connection, a slow DATA). */
export class RawSmtp {
  private buf = '';
  private waiters: ((line: string) => void)[] = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf += d.toString('latin1');
      let i: number;
      // A reply is complete at a line whose 4th character is a space (`250 ok`, not `250-…`).
      while ((i = this.buf.indexOf('\r\n')) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        if (line[3] !== '-') this.waiters.shift()?.(line);
      }
    });
  }

  /** Connects (from `localAddress`, e.g. 127.0.0.x standing for an outside client) and reads the greeting. */
  static async open(port: number, localAddress?: string): Promise<{ smtp: RawSmtp; greeting: string }> {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    const smtp = new RawSmtp(socket);
    return { smtp, greeting: await smtp.reply() };
  }

  reply(): Promise<string> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async command(line: string): Promise<string> {
    const r = this.reply();
    this.socket.write(`${line}\r\n`);
    return r;
  }

  write(data: string): void {
    this.socket.write(data);
  }

  /** Sends DATA, the message (dot-stuffed, CRLF) and the final dot; resolves with the final answer. */
  async data(message: string): Promise<string> {
    const go = await this.command('DATA');
    if (!go.startsWith('354')) return go;
    const body = message.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
    return this.command(`${body}${body.endsWith('\r\n') ? '' : '\r\n'}.`);
  }

  async quit(): Promise<void> {
    await this.command('QUIT').catch(() => undefined);
    this.socket.destroy();
  }
}
