import type { Channel } from '../db/entities/submission.entity.ts';
import type { ChannelTrust } from '../trust/channel-trust.ts';

/** What an intake channel hands over: the raw bytes and what it knows about who sent them. */
export interface SubmissionInput {
  channel: Channel;
  raw: Buffer;
  reporter?: string | null;
  envelopeFrom?: string | null;
  envelopeTo?: string[] | null;
  clientIp?: string | null;
  /** SMTP: the HELO/EHLO name the client gave (untrusted, as sent); null on other channels. */
  helo?: string | null;
  category?: string | null;
  description?: string | null;
  /** Client-chosen key (HTTP `Idempotency-Key`): a retried POST returns the first submission. */
  idempotencyKey?: string | null;
  /** The API key that sent it: idempotency keys are scoped to it (another client's key is another key). */
  apiKeyId?: string | null;
  /** What the channel vouches for (shared/trust/channel-trust.ts); omitted → anonymous. */
  trust?: ChannelTrust;
}

export interface AcceptedSubmission {
  id: string;
  status: 'received' | 'queued';
  /** True when this idempotency key had already been accepted; `id` is the earlier submission. */
  duplicate: boolean;
}
