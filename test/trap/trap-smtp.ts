import net from 'node:net';

/**
 * A raw SMTP conversation from a chosen loopback address (127.0.0.x stands for an outside client),
 * for what nodemailer will not do: several RCPT answers in one transaction, two transactions on
 * one connection.
 */
export class SmtpConversation {
  private buf = '';
  private readonly waiters: ((line: string) => void)[] = [];

  private constructor(private readonly socket: net.Socket) {
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

  static async open(port: number, localAddress: string): Promise<SmtpConversation> {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress });
    const c = new SmtpConversation(socket);
    const greeting = await c.reply();
    if (!greeting.startsWith('220')) throw new Error(`no greeting: ${greeting}`);
    return c;
  }

  reply(): Promise<string> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  command(line: string): Promise<string> {
    const r = this.reply();
    this.socket.write(`${line}\r\n`);
    return r;
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
