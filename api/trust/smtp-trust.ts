import type { SMTPServerSession } from 'smtp-server';
import type { DataSource } from 'typeorm';
import type { Config } from '../../shared/config/config.schema.ts';
import { TenancyCache } from '../../shared/tenancy/tenancy-cache.ts';
import { smtpTrust, type ChannelTrust } from '../../shared/trust/channel-trust.ts';
import { intakeDomains, parsePersonalRecipient, redactRecipient } from '../../shared/trust/personal-address.ts';
import { hashToken } from '../../shared/trust/tokens.ts';

/**
 * The SMTP front door's side of reporter trust: personal reporting addresses at RCPT time (a live
 * token is accepted and remembered for the transaction, anything else `report+…` is refused), and
 * the channel's trust at DATA time from the client address (feedback loops' `sourceNetworks`,
 * `platform.networks`; the tenancy is cached, its version read at most every
 * TENANCY_REFRESH_SECONDS) — no query per message unless a personal address is used.
 */
export class SmtpTrust {
  private readonly domains: Set<string>;
  private readonly tenancy: TenancyCache;
  /** The personal identity each session's current transaction was addressed to. */
  private readonly personal = new Map<string, string>();

  constructor(private readonly ds: DataSource, config: Config, intakeAddresses: Iterable<string>) {
    this.domains = intakeDomains(intakeAddresses);
    this.tenancy = new TenancyCache(ds, { refreshMs: config.TENANCY_REFRESH_SECONDS * 1000 });
  }

  /** True for `report+…@<intake domain>`: `checkPersonal` decides it, not the intake address list. */
  isPersonal(recipient: string): boolean {
    return parsePersonalRecipient(recipient, this.domains) !== null;
  }

  /** Null when the personal address is live (and remembered for this transaction), else the 550 text. */
  async checkPersonal(session: SMTPServerSession, recipient: string): Promise<string | null> {
    const p = parsePersonalRecipient(recipient, this.domains);
    if (p?.kind !== 'personal') return 'no such mailbox here: a personal reporting address has the form report+<26 letters and digits>@…';
    const [row]: { identity: string }[] = await this.ds.query(`SELECT identity FROM reporters WHERE token_sha256 = $1 AND revoked_at IS NULL`, [hashToken(p.token)]);
    if (!row) return 'this personal reporting address is unknown or was revoked; ask for a new one on the /reporters page';
    if (!this.personal.has(session.id)) this.personal.set(session.id, row.identity);
    return null;
  }

  /** A new transaction (MAIL FROM) or a closed session forgets the previous one's personal address. */
  forget(session: SMTPServerSession): void {
    this.personal.delete(session.id);
  }

  /** The recipient as recorded: a personal address's token is a secret and is not stored. */
  redact(recipient: string): string {
    return redactRecipient(recipient, this.domains);
  }

  async decide(session: SMTPServerSession): Promise<ChannelTrust> {
    const t = await this.tenancy.get();
    const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
    return smtpTrust(
      { clientIp: session.remoteAddress, mailFrom: mailFrom || null, personalIdentity: this.personal.get(session.id) ?? null },
      { feedbackLoopSources: t.feedbackLoopSources, platformNetworks: t.platformNetworks },
    );
  }
}
