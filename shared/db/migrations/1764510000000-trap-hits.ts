import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spam-trap hits (docs/intake.md, "Spam traps"): the SMTP session's HELO name is kept with every
 * SMTP submission (`submissions.smtp_helo`, as the client sent it), and a trap hit's report carries
 * the HELO and the envelope MAIL FROM itself (`reports.smtp_helo`, `reports.smtp_mail_from`): they
 * are the sender's, not a reporter's, so the reporter pseudonymisation of `submissions.envelope_from`
 * after PSEUDONYMISE_DAYS does not take them from the 90-day per-IP data. The channel `trap` needs
 * no schema change (`channel` is a varchar without a CHECK); per-IP counts use
 * `reports_originating_ip (originating_ip, received_at)`.
 */
export class TrapHits1764510000000 implements MigrationInterface {
  name = 'TrapHits1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE submissions ADD COLUMN smtp_helo text`);
    await q.query(`ALTER TABLE reports ADD COLUMN smtp_helo text, ADD COLUMN smtp_mail_from text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reports DROP COLUMN smtp_helo, DROP COLUMN smtp_mail_from`);
    await q.query(`ALTER TABLE submissions DROP COLUMN smtp_helo`);
  }
}
