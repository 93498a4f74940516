import type { SMTPServerSession } from 'smtp-server';
import { trapFor, type TrapAddresses } from './trap-addresses.ts';

/**
 * What the envelope of one SMTP transaction says about traps. A trap hit is judged ONLY by the
 * recipients our own server accepted (RCPT TO), never by a header of the message: `To:`,
 * `Delivered-To:` or `X-Original-To:` are written by whoever sends.
 *
 * A transaction is either a trap hit or a report, never both. A recipient of the other kind than
 * those already accepted gets `452` (RFC 5321 §4.5.3.1.10: the client delivers it in a later
 * transaction, as for a recipient limit), so a message to a trap and to an intake address becomes
 * one trap hit plus one ordinary report — what an abuse desk expects — and no recipient is lost.
 * The alternative, a trap hit that also files a report (or a report that swallows the trap), would
 * make one message count twice or let an intake address launder a trap hit into an anonymous report.
 */
export class TrapRecipients {
  constructor(private readonly traps: TrapAddresses) {}

  get size(): number {
    return this.traps.size;
  }

  isTrap(recipient: string): boolean {
    return trapFor(this.traps, recipient) !== undefined;
  }

  /** True when this transaction already accepted a trap recipient: it is a trap hit. */
  hasTrap(session: SMTPServerSession): boolean {
    return session.envelope.rcptTo.some((r) => this.isTrap(r.address));
  }


  /**
   * The 452 text when `recipient` would mix a trap and a report in one transaction, else null.
   * `acceptable` tells whether a non-trap recipient would be accepted at all: an unknown one still
   * gets its 550 (a 452 would invite the client to retry a mailbox that does not exist).
   */
  refuseMixing(session: SMTPServerSession, recipient: string, acceptable: (recipient: string) => boolean): string | null {
    const rcpts = session.envelope.rcptTo;
    if (rcpts.length === 0) return null;
    const trap = this.isTrap(recipient);
    const mixes = trap ? rcpts.some((r) => !this.isTrap(r.address)) : this.hasTrap(session) && acceptable(recipient);
    return mixes ? 'this recipient must be sent in a separate transaction; try it again in a new one' : null;
  }
}
