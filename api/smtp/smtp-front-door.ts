import { hostname } from 'node:os';
import { SMTPServer, type SMTPServerSession, type SMTPServerOptions } from 'smtp-server';
import type { ApiContext } from '../context.ts';
import { isAppError } from '../../shared/errors/app-error.ts';
import { backlogGauge } from '../../shared/intake/backpressure.ts';
import { categoryFor, parseIntakeAddresses } from './intake-addresses.ts';
import { parseTrapAddresses } from './trap-addresses.ts';
import { TrapRecipients } from './trap-recipients.ts';
import { ClientLimits } from './client-limits.ts';
import { readCapped } from './read-capped.ts';
import { dataDeadline } from './data-deadline.ts';
import { receivedHeader } from './received-header.ts';
import { SmtpTrust } from '../trust/smtp-trust.ts';
import { trapTrust } from '../../shared/trust/channel-trust.ts';

export interface SmtpFrontDoor {
  /** The port actually bound (SMTP_PORT=0 picks one). */
  port: number;
  /** Stops accepting, lets open transactions finish (up to CLOSE_TIMEOUT_MS), then closes. */
  close(): Promise<void>;
}

/** RFC 5321 §4.5.3.2 asks for minutes; two is plenty for a client and short for a slowloris. */
const SOCKET_TIMEOUT_MS = 120_000;
const CLOSE_TIMEOUT_MS = 10_000;
/** Process-wide cap on open sessions, on top of the per-IP limit. */
const MAX_CLIENTS = 2000;

type SmtpError = Error & { responseCode: number };
function smtpError(responseCode: number, message: string): SmtpError {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * The SMTP front door: accepts mail for the intake addresses and the spam traps only (550 for
 * anything else: never a relay), stamps our Received header on it and hands it to the same
 * SubmissionWriter as the HTTP intake (a trap's mail as channel `trap`, trap-recipients.ts). 250 is sent only once `writer.accept()` has resolved, i.e. after the Postgres commit;
 * any failure to keep the message is a 451 so the sending MTA retries.
 */
export async function startSmtpFrontDoor(ctx: ApiContext): Promise<SmtpFrontDoor> {
  const { config, log } = ctx;
  const addresses = parseIntakeAddresses(config.INTAKE_ADDRESSES);
  // Spam traps: checked against the intake addresses before anything listens (a clear start-up error).
  const traps = new TrapRecipients(parseTrapAddresses(config.TRAP_ADDRESSES, addresses));
  const ourHost = config.SMTP_HOSTNAME ?? hostname();
  const backlog = backlogGauge(ctx.queue, config.INTAKE_HIGH_WATER);
  // Reporter trust: feed / platform client networks, personal reporting addresses (docs/reputation.md).
  const trust = new SmtpTrust(ctx.ds, config, addresses.keys());
  const limits = new ClientLimits(
    ctx.redis,
    {
      prefix: config.REDIS_PREFIX,
      maxConnectionsPerIp: config.SMTP_MAX_CONNECTIONS_PER_IP,
      messagesPerMinute: config.SMTP_MESSAGES_PER_MINUTE,
      trapHitsPerHour: config.TRAP_HITS_PER_IP_PER_HOUR,
    },
    log,
  );
  /** Sessions whose connection we counted, to uncount exactly those on close. */
  const counted = new Map<string, string>();
  /** Un-counts still in flight, so close() can wait for them before Redis is disconnected. */
  const uncounting = new Set<Promise<void>>();
  /** DATA phases under way (receiving or committing): shutdown lets them finish and answer. */
  const inFlight = new Set<Promise<void>>();
  const tls = config.SMTP_TLS_KEY && config.SMTP_TLS_CERT ? { key: config.SMTP_TLS_KEY, cert: config.SMTP_TLS_CERT } : null;

  const options: SMTPServerOptions = {
    name: ourHost,
    banner: 'abuse report intake',
    size: config.MAX_MESSAGE_BYTES,
    // The library answers `552 5.3.4` for an oversize message; onData still drains the stream.
    rejectOversized: true,
    hideENHANCEDSTATUSCODES: false,
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ?? {}),
    // Reverse DNS on every connection costs latency and tells us nothing we trust.
    disableReverseLookup: true,
    socketTimeout: SOCKET_TIMEOUT_MS,
    closeTimeout: CLOSE_TIMEOUT_MS,
    maxClients: MAX_CLIENTS,
    logger: false,

    onConnect(session, callback) {
      const ip = session.remoteAddress;
      limits.openConnection(ip).then((ok) => {
        if (!ok) return callback(smtpError(421, `too many connections from ${ip}; try again later`));
        counted.set(session.id, ip);
        callback();
      }, callback);
    },

    onClose(session) {
      trust.forget(session);
      const ip = counted.get(session.id);
      if (ip === undefined) return;
      counted.delete(session.id);
      const p = limits.closeConnection(ip).finally(() => uncounting.delete(p));
      uncounting.add(p);
    },

    onMailFrom(_address, session, callback) {
      trust.forget(session);
      limits
        .takeMessage(session.remoteAddress)
        .then(async (ok) => {
          if (!ok) return callback(smtpError(450, `too many messages from ${session.remoteAddress} this minute; try again later`));
          await backlog.check();
          callback();
        })
        .catch((err: unknown) => callback(temporaryFailure(err)));
    },

    onRcptTo(address, session, callback) {
      // A transaction is either a trap hit or a report, decided by the envelope alone (trap-recipients.ts).
      const mixing = traps.refuseMixing(session, address.address, (r) => trust.isPersonal(r) || categoryFor(addresses, r) !== undefined);
      if (mixing) return callback(smtpError(452, mixing));
      if (traps.isTrap(address.address)) {
        if (traps.hasTrap(session)) return callback();
        // One trap hit per transaction, so the budget is taken at its first trap recipient.
        limits.takeTrapHit(session.remoteAddress).then(
          (ok) => callback(ok ? undefined : smtpError(450, `too many messages from ${session.remoteAddress} this hour; try again later`)),
          (err: unknown) => callback(temporaryFailure(err)),
        );
        return;
      }
      if (trust.isPersonal(address.address)) {
        trust.checkPersonal(session, address.address).then(
          (refusal) => callback(refusal ? smtpError(550, refusal) : undefined),
          (err: unknown) => callback(temporaryFailure(err)),
        );
        return;
      }
      if (categoryFor(addresses, address.address) === undefined) {
        return callback(smtpError(550, `no such mailbox here: ${address.address.slice(0, 100)}; we accept abuse reports only`));
      }
      callback();
    },

    onData(stream, session, callback) {
      const stopDeadline = dataDeadline(server, session, stream, config.SMTP_DATA_TIMEOUT);
      const p: Promise<void> = readCapped(stream, config.MAX_MESSAGE_BYTES)
        .finally(stopDeadline)
        .then(async ({ data, exceeded }) => {
          if (exceeded || stream.sizeExceeded) {
            return callback(smtpError(552, `message exceeds fixed maximum message size ${config.MAX_MESSAGE_BYTES}`));
          }
          await backlog.check();
          const id = await store(session, data);
          callback(null, `OK: queued as ${id}`);
        })
        .catch((err: unknown) => callback(temporaryFailure(err)))
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
  };

  /** Our own Received line for this transaction: the client as it connected, its HELO, and `for` one recipient if given. */
  function ourTrace(session: SMTPServerSession, recipient: string | null): string {
    return receivedHeader({
      clientIp: session.remoteAddress,
      helo: session.hostNameAppearsAs || null,
      ourHost,
      protocol: session.transmissionType,
      id: `${session.id}.${session.transaction}`,
      recipient,
      date: new Date(),
    });
  }

  async function store(session: SMTPServerSession, data: Buffer): Promise<string> {
    if (traps.hasTrap(session)) return storeTrapHit(session, data);
    const rcpts = session.envelope.rcptTo.map((r) => trust.redact(r.address.toLowerCase()));
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    const trace = ourTrace(session, rcpts.length === 1 ? rcpts[0]! : null);
    const channelTrust = await trust.decide(session);
    const accepted = await ctx.writer.accept({
      channel: 'smtp',
      raw: Buffer.concat([Buffer.from(trace, 'latin1'), data]),
      envelopeFrom: mailFrom || null,
      envelopeTo: rcpts,
      clientIp: session.remoteAddress,
      helo: session.hostNameAppearsAs || null,
      // The envelope sender is who reported (`<>`, a bounce, reports nobody); mail to a personal
      // address was reported by its owner, whatever the envelope says.
      reporter: (channelTrust.trust === 'verified' ? channelTrust.identity : null) ?? (mailFrom || null),
      category: categoryFor(addresses, rcpts[0]!) ?? null,
      trust: channelTrust,
    });
    log.debug({ id: accepted.id, clientIp: session.remoteAddress, rcpts }, 'smtp submission accepted');
    return accepted.id;
  }

  /**
   * A trap hit: stored as channel `trap`, `feed` trust as the traps' one identity, no reporter (the
   * envelope sender is the spammer, and a trap is nobody to notify); the worker attributes it to the
   * connecting client (shared/analysis/trap-hit.ts). Our Received header names no recipient: the
   * trap address stays out of the stored message, whatever the count of trap recipients.
   */
  async function storeTrapHit(session: SMTPServerSession, data: Buffer): Promise<string> {
    const rcpts = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
    const trace = ourTrace(session, null);
    const accepted = await ctx.writer.accept({
      channel: 'trap',
      raw: Buffer.concat([Buffer.from(trace, 'latin1'), data]),
      envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      envelopeTo: rcpts,
      clientIp: session.remoteAddress,
      helo: session.hostNameAppearsAs || null,
      reporter: null,
      category: 'trap',
      trust: trapTrust(),
    });
    log.debug({ id: accepted.id, clientIp: session.remoteAddress }, 'smtp trap hit accepted');
    return accepted.id;
  }

  function temporaryFailure(err: unknown): SmtpError {
    if (isAppError(err) && (err.code === 'store_unavailable' || err.code === 'overloaded')) {
      return smtpError(451, `${err.message}`);
    }
    if ((err as { code?: unknown }).code === 'EDATATIME') log.info({ err: (err as Error).message }, 'smtp DATA took too long; connection closed')
    else if ((err as { code?: unknown }).code === 'ECONNECTION') log.debug({ err: (err as Error).message }, 'smtp client left during DATA');
    else log.error({ err }, 'smtp intake failed');
    return smtpError(451, 'local error in processing; try again later');
  }

  const server = new SMTPServer(options);
  server.on('error', (err) => log.warn({ err: err.message }, 'smtp connection error'));
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(config.SMTP_PORT, config.HOST, () => {
      server.server.off('error', reject);
      const addr = server.server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : config.SMTP_PORT);
    });
  });
  // The trap addresses are not logged: a trap is only worth as much as it stays unknown.
  log.info({ port, host: ourHost, starttls: !!tls, addresses: [...addresses.keys()], traps: traps.size }, 'smtp listening');

  return {
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Let messages being received or committed get their answer, then end idle sessions
      // (a pooled client may hold them open) with 421, which tells the client to come back later.
      await Promise.all([...inFlight]);
      // (`send(421)` closes the connection.)
      for (const connection of server.connections) connection.send(421, `${ourHost} shutting down, try again later`);
      await closed;
      // smtp-server calls onClose a tick after each socket closes; give those a moment so the
      // per-IP counters are decremented before the caller disconnects Redis (they expire anyway).
      const deadline = Date.now() + 2000;
      while (counted.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await Promise.all([...uncounting]);
    },
  };
}
