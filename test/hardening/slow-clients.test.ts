import { expect } from 'chai';
import net from 'node:net';
import { startTestService, type TestService } from '../helpers/service.ts';
import { testDataSource, truncateAll } from '../helpers/db.ts';
import { RawSmtp } from '../intake/smtp-client.ts';
import type { DataSource } from 'typeorm';

/** Resolves with what `promise` gives, or rejects saying what did not happen within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Writes one byte every `everyMs` until the socket closes; returns how many were written. */
function trickle(socket: net.Socket, everyMs: number): { stop: () => number } {
  let sent = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || !socket.writable) return;
    socket.write('a');
    sent++;
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return sent;
    },
  };
}

function closed(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
}

describe('slow clients are cut', () => {
  let ds: DataSource;
  before(async () => {
    ds = await testDataSource();
  });
  after(() => ds.destroy());
  beforeEach(() => truncateAll(ds));

  describe('SMTP: a total DATA time limit (SMTP_DATA_TIMEOUT)', () => {
    let svc: TestService;
    before(async () => {
      svc = await startTestService({ ROLES: 'smtp', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-slow-smtp`, SMTP_DATA_TIMEOUT: '1s' });
    });
    after(() => svc.stop());

    it('answers 421 and closes a DATA phase that trickles one byte at a time, storing nothing', async () => {
      const { smtp, greeting } = await RawSmtp.open(svc.smtpPort!);
      expect(greeting).to.match(/^220 /);
      expect(await smtp.command('EHLO slow.example')).to.match(/^250 /);
      expect(await smtp.command('MAIL FROM:<slow@slow.example>')).to.match(/^250 /);
      expect(await smtp.command('RCPT TO:<spam@reports.localhost>')).to.match(/^250 /);
      expect(await smtp.command('DATA')).to.match(/^354 /);
      smtp.write('Subject: slow\r\n\r\n');
      // Every byte resets the idle timeout (2 minutes): only a total limit ends this.
      const dripping = trickle(smtp.socket, 100);
      let reply: string;
      try {
        reply = await within(smtp.reply(), 10_000, 'a reply to the trickling DATA');
        await within(closed(smtp.socket), 10_000, 'the connection closing');
      } finally {
        smtp.socket.destroy();
      }
      const sent = dripping.stop();
      expect(reply).to.match(/^421 4\.4\.2 /);
      expect(sent, 'the client was still sending').to.be.greaterThan(0);
      expect((await ds.query(`SELECT count(*)::int AS n FROM submissions`))[0].n).to.equal(0);
    });
  });

  describe('HTTP: request and headers timeouts (HTTP_REQUEST_TIMEOUT, HTTP_HEADERS_TIMEOUT)', () => {
    let svc: TestService;
    before(async () => {
      svc = await startTestService({
        ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-slow-http`, HTTP_REQUEST_TIMEOUT: '1500ms', HTTP_HEADERS_TIMEOUT: '1s',
      });
    });
    after(() => svc.stop());

    /** Opens a raw connection, sends `head`, then trickles; resolves with what the server said before closing. */
    async function slowRequest(head: string): Promise<{ answer: string; sent: number }> {
      const socket = net.connect(Number(new URL(svc.url).port), '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      let answer = '';
      socket.on('data', (d) => (answer += d.toString('latin1')));
      socket.on('error', () => undefined); // a reset after the 408 is fine
      socket.write(head);
      const dripping = trickle(socket, 100);
      try {
        await within(closed(socket), 10_000, 'the server closing the slow request');
      } finally {
        socket.destroy();
      }
      return { answer, sent: dripping.stop() };
    }

    it('answers 408 and closes a public POST whose body trickles in', async () => {
      const { answer, sent } = await slowRequest(
        `POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"email":"slow@example.org","message":"`,
      );
      expect(answer).to.match(/^HTTP\/1\.1 408 /);
      expect(sent).to.be.greaterThan(0);
      expect((await ds.query(`SELECT count(*)::int AS n FROM submissions`))[0].n).to.equal(0);
    });

    it('answers 408 and closes a request whose headers trickle in', async () => {
      const { answer } = await slowRequest(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: `);
      expect(answer).to.match(/^HTTP\/1\.1 408 /);
    });

    it('leaves a prompt request alone', async () => {
      expect((await fetch(`${svc.url}/healthz`)).status).to.equal(200);
    });
  });
});
