import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new signing secret in the Standard Webhooks form (`whsec_` + base64 of 24 random bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** `webhook-id` of an event: the same for every retry, so receivers can drop duplicates. */
export function webhookMessageId(eventId: string): string {
  return `msg_${eventId.replace(/-/g, '')}`;
}

/** The three Standard Webhooks headers for one request (signed with the `standardwebhooks` package). */
export function signedHeaders(secret: string, msgId: string, body: string, at: Date = new Date()): Record<string, string> {
  const sig = new Webhook(secret).sign(msgId, at, body);
  return { 'webhook-id': msgId, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': sig };
}
