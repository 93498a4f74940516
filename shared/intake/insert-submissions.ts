import type { DataSource } from 'typeorm';
import { pgPool } from '../db/pg-pool.ts';
import { storableText } from '../db/storable.ts';
import type { SubmissionInput } from './submission-input.ts';

/**
 * The intake's storage edge: what a channel hands over (an envelope address, a form field, a header)
 * made storable, so one odd value (a NUL, a lone surrogate, an overlong address) cannot fail the
 * group commit of everyone else's reports. Sizes: addresses as `REPORT_LIMITS.reporter` (they become
 * reputation keys), the varchar columns' own sizes.
 */
function storableInput(input: SubmissionInput) {
  return {
    channel: storableText(input.channel, 16),
    reporter: storableText(input.reporter, 320),
    envelopeFrom: storableText(input.envelopeFrom, 320),
    envelopeTo: input.envelopeTo?.map((a) => storableText(a, 320)) ?? null,
    category: storableText(input.category, 32),
    description: storableText(input.description),
    idempotencyKey: storableText(input.idempotencyKey, 200),
    // The reporter identity the channel vouches for: a reputation key like the reporter.
    identity: storableText(input.trust?.identity ?? null, 320),
    // A HELO name is at most 255 characters (RFC 5321 §4.5.3.1.2); longer is a client's noise.
    helo: storableText(input.helo ?? null, 255),
  };
}

export interface SubmissionRowInput {
  id: string;
  sha256: string;
  input: SubmissionInput;
}

/**
 * The intake's one statement per group commit: raw messages (deduplicated by hash) and their
 * submissions, in a data-modifying CTE, so a batch is one round trip and one implicit transaction.
 * Sent through node-postgres directly as a named prepared statement per batch shape: Postgres
 * parses and plans it once per connection, not once per batch, and TypeORM's per-query wrapping
 * is skipped on the hottest path there is. The channel's trust travels in the same row (no
 * second statement). Returns the ids that were inserted (an idempotent repeat is not).
 */
export async function insertSubmissions(
  ds: DataSource,
  batchId: string,
  receivedAt: Date,
  raws: readonly SubmissionRowInput[],
  rows: readonly SubmissionRowInput[],
): Promise<Set<string>> {
  const values: unknown[] = [receivedAt, batchId, 'received'];
  for (const r of raws) values.push(r.sha256, r.input.raw, r.input.raw.length);
  for (const { id, sha256, input } of rows) {
    const v = storableInput(input);
    values.push(
      id, v.channel, v.reporter, v.envelopeFrom, v.envelopeTo,
      input.clientIp ?? null, v.category, v.description, sha256, input.raw.length,
      v.idempotencyKey, input.apiKeyId ?? null, input.trust?.trust ?? 'anonymous', v.identity, input.trust?.feedbackLoop ?? null,
      v.helo,
    );
  }
  const name = `intake-insert-${raws.length}-${rows.length}`;
  const result = await pgPool(ds).query<{ id: string }>({ name, text: statement(raws.length, rows.length), values });
  return new Set(result.rows.map((r) => r.id));
}

const SHARED = 3; // $1 received_at, $2 batch_id, $3 status
const RAW_COLUMNS = 3;
const ROW_COLUMNS = 16;
const statements = new Map<string, string>();

function statement(raws: number, rows: number): string {
  const key = `${raws}/${rows}`;
  let text = statements.get(key);
  if (text) return text;
  const rawValues: string[] = [];
  for (let i = 0; i < raws; i++) {
    const b = SHARED + i * RAW_COLUMNS;
    rawValues.push(`($${b + 1},$${b + 2},$${b + 3})`);
  }
  const rowValues: string[] = [];
  for (let i = 0; i < rows; i++) {
    const b = SHARED + raws * RAW_COLUMNS + i * ROW_COLUMNS;
    const p = (n: number) => `$${b + n}`;
    // Column order below: id, channel, received_at, reporter, envelope_from, envelope_to, client_ip,
    // category, description, raw_sha256, size_bytes, idempotency_key, api_key_id, reporter_trust,
    // reporter_identity, feedback_loop, smtp_helo, batch_id, status.
    rowValues.push(`(${p(1)},${p(2)},$1,${p(3)},${p(4)},${p(5)},${p(6)},${p(7)},${p(8)},${p(9)},${p(10)},${p(11)},${p(12)},${p(13)},${p(14)},${p(15)},${p(16)},$2,$3)`);
  }
  text = `WITH raw AS (
      INSERT INTO raw_messages (sha256, content, size_bytes) VALUES ${rawValues.join(',')}
      ON CONFLICT (sha256) DO NOTHING)
    INSERT INTO submissions (id, channel, received_at, reporter, envelope_from, envelope_to, client_ip,
      category, description, raw_sha256, size_bytes, idempotency_key, api_key_id, reporter_trust, reporter_identity, feedback_loop, smtp_helo, batch_id, status)
    VALUES ${rowValues.join(',')}
    ON CONFLICT (channel, api_key_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING id`;
  statements.set(key, text);
  return text;
}
