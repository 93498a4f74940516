import type { MigrationInterface, QueryRunner } from 'typeorm';
import { configSchema } from '../../config/config.schema.ts';
import { TRUST_LEVELS } from '../../trust/reporter-trust.ts';

const LEVELS = TRUST_LEVELS.map((t) => `'${t}'`).join(', ');

/**
 * The trust model (docs/reputation.md, "Reporter trust"): what each channel vouches for, the
 * confirmations and personal reporting addresses that make a reporter `verified`, the audit of
 * analysts' trust changes, withdrawable reputation events, and manual listings that do not expire.
 * Existing rows are marked by channel (the HTTP intake needed a key: `platform`; everything else
 * `anonymous`) and the scores of subjects that anonymous reports had moved are recomputed from the
 * events that still qualify. The half-life and minimum trust come from the environment (the same
 * variables and defaults as the service), since a migration runs before any config object exists.
 */
export class TrustModel1764350000000 implements MigrationInterface {
  name = 'TrustModel1764350000000';

  async up(q: QueryRunner): Promise<void> {
    // A key vouches for what it posts: `platform` by default; a key bound to a feedback loop is `feed`.
    await q.query(`ALTER TABLE api_keys
      ADD COLUMN trust varchar(16) NOT NULL DEFAULT 'platform' CONSTRAINT api_keys_trust_check CHECK (trust IN (${LEVELS})),
      ADD COLUMN feedback_loop text,
      ADD CONSTRAINT api_keys_feedback_loop_check CHECK ((trust = 'feed') = (feedback_loop IS NOT NULL))`);
    // Who vouches (a key, a feed, a verified address) and the feedback loop the channel was bound to.
    await q.query(`ALTER TABLE submissions ADD COLUMN reporter_identity text, ADD COLUMN feedback_loop text`);
    // The sending domain (DKIM d= or From domain) reputation scored, so a later promotion scores the same subject.
    await q.query(`ALTER TABLE reports ADD COLUMN sending_domain text`);
    await q.query(`ALTER TABLE reputation_events ADD COLUMN withdrawn_at timestamptz, ADD COLUMN withdrawn_reason text`);
    await q.query(`ALTER TABLE listings ADD COLUMN manual boolean NOT NULL DEFAULT false, ADD COLUMN expires_at timestamptz`);

    // Single-use mailed links: a web report's confirmation, a personal address's issue or revocation.
    await q.query(`
      CREATE TABLE trust_confirmations (
        id uuid PRIMARY KEY,
        purpose varchar(16) NOT NULL CHECK (purpose IN ('report', 'reporter', 'revoke')),
        email text NOT NULL,
        identity text NOT NULL,
        submission_id uuid REFERENCES submissions(id) ON DELETE CASCADE,
        token_sha256 char(64) NOT NULL UNIQUE,
        client_ip inet,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX trust_confirmations_submission ON trust_confirmations (submission_id) WHERE submission_id IS NOT NULL`);
    await q.query(`CREATE INDEX trust_confirmations_expires ON trust_confirmations (expires_at)`);
    // Personal reporting addresses `report+TOKEN@…`: only the token's SHA-256; one live address per identity.
    await q.query(`
      CREATE TABLE reporters (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        identity text NOT NULL,
        token_sha256 char(64) NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_by text,
        revoke_reason text
      )`);
    await q.query(`CREATE UNIQUE INDEX reporters_live_identity ON reporters (identity) WHERE revoked_at IS NULL`);
    // Every trust change after intake (a confirmation, an analyst's promotion or demotion), and
    // whether its reputation effect was applied yet (the worker's `apply-trust-changes` job).
    await q.query(`
      CREATE TABLE report_trust_changes (
        id bigserial PRIMARY KEY,
        submission_id uuid NOT NULL REFERENCES submissions(id) ON DELETE CASCADE,
        report_id uuid REFERENCES reports(id) ON DELETE CASCADE,
        from_trust varchar(16) NOT NULL,
        to_trust varchar(16) NOT NULL CHECK (to_trust IN (${LEVELS})),
        reason text NOT NULL,
        actor text NOT NULL,
        at timestamptz NOT NULL,
        applied_at timestamptz,
        effect text
      )`);
    await q.query(`CREATE INDEX report_trust_changes_pending ON report_trust_changes (id) WHERE applied_at IS NULL`);
    await q.query(`CREATE INDEX report_trust_changes_report ON report_trust_changes (report_id, at) WHERE report_id IS NOT NULL`);
    await q.query(`CREATE INDEX report_trust_changes_submission ON report_trust_changes (submission_id, at)`);

    await markExisting(q);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['report_trust_changes', 'reporters', 'trust_confirmations']) await q.query(`DROP TABLE ${t}`);
    await q.query(`ALTER TABLE listings DROP COLUMN manual, DROP COLUMN expires_at`);
    await q.query(`ALTER TABLE reputation_events DROP COLUMN withdrawn_at, DROP COLUMN withdrawn_reason`);
    await q.query(`ALTER TABLE reports DROP COLUMN sending_domain`);
    await q.query(`ALTER TABLE submissions DROP COLUMN reporter_identity, DROP COLUMN feedback_loop`);
    await q.query(`ALTER TABLE api_keys DROP CONSTRAINT api_keys_feedback_loop_check, DROP COLUMN trust, DROP COLUMN feedback_loop`);
  }
}

/**
 * Existing data. Trust by channel; events of reports now below the minimum are withdrawn (kept,
 * with the reason); each subject they touched gets the smaller of its current decayed score and the
 * decayed sum of its remaining events (a delisting's reset stays a reset), and its reporters are
 * recounted from the remaining events. Listings are left to the rules: the expiry job ends a
 * system listing whose recomputed score no longer holds it. Listings an analyst made become manual.
 */
async function markExisting(q: QueryRunner): Promise<void> {
  const env = (name: string) => (process.env[name] === '' ? undefined : process.env[name]);
  const halfLifeMs = configSchema.shape.REPUTATION_HALF_LIFE.parse(env('REPUTATION_HALF_LIFE'));
  const minTrust = configSchema.shape.REPUTATION_MIN_TRUST.parse(env('REPUTATION_MIN_TRUST'));
  const below = TRUST_LEVELS.slice(0, TRUST_LEVELS.indexOf(minTrust));
  const now = new Date();

  await q.query(`UPDATE submissions SET reporter_trust = 'platform',
      reporter_identity = 'key:before-trust' || CASE WHEN reporter LIKE '%@%' THEN '/' || lower(reporter) ELSE '' END
    WHERE channel = 'http'`);
  await q.query(`UPDATE reports SET reporter_trust = 'platform' WHERE channel = 'http'`);
  if (below.length > 0) {
    await q.query(
      `UPDATE reputation_events e SET withdrawn_at = $1,
         withdrawn_reason = 'trust migration: the report came over a channel trusted as ' || r.reporter_trust || ', below REPUTATION_MIN_TRUST'
        FROM reports r WHERE r.id = e.report_id AND r.reporter_trust = ANY($2::text[]) AND e.withdrawn_at IS NULL`,
      [now, below],
    );
  }
  const decayed = (at: string) => `power(2::float8, -greatest(0, extract(epoch FROM $1::timestamptz - ${at}) * 1000) / $2::float8)`;
  await q.query(
    `WITH touched AS (SELECT kind, key, count(*) AS n FROM reputation_events WHERE withdrawn_at = $1 GROUP BY kind, key),
          remaining AS (SELECT t.kind, t.key, t.n, coalesce(sum(e.weight * ${decayed('e.at')}), 0) AS total
                          FROM touched t LEFT JOIN reputation_events e ON e.kind = t.kind AND e.key = t.key AND e.withdrawn_at IS NULL
                         GROUP BY t.kind, t.key, t.n)
     UPDATE reputation_subjects s
        SET score = greatest(0, least(s.score * ${decayed('s.updated_at')}, r.total)), updated_at = $1,
            reports = greatest(0, s.reports - r.n)
       FROM remaining r WHERE s.kind = r.kind AND s.key = r.key`,
    [now, halfLifeMs],
  );
  await q.query(
    `WITH touched AS (SELECT DISTINCT kind, key FROM reputation_events WHERE withdrawn_at = $1)
     DELETE FROM reputation_reporters p USING touched t WHERE p.kind = t.kind AND p.key = t.key`,
    [now],
  );
  await q.query(
    `INSERT INTO reputation_reporters (kind, key, reporter, reports, last_at)
     SELECT e.kind, e.key, e.reporter, count(*), max(e.at) FROM reputation_events e
      WHERE (e.kind, e.key) IN (SELECT kind, key FROM reputation_events WHERE withdrawn_at = $1)
        AND e.withdrawn_at IS NULL AND e.weight > 0 AND e.at > $1::timestamptz - make_interval(secs => $2::float8 * 7 / 1000)
      GROUP BY e.kind, e.key, e.reporter`,
    [now, halfLifeMs],
  );
  await q.query(`UPDATE listings l SET manual = true
    WHERE (SELECT h.action FROM listing_history h WHERE h.ip = l.ip AND h.action IN ('listed', 'manual') ORDER BY h.at DESC, h.id DESC LIMIT 1) = 'manual'`);
}
