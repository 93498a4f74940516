import { expect } from 'chai';
import { createApiKey } from '../../shared/auth/api-keys.ts';
import { SubmissionWriter } from '../../shared/intake/submission-writer.ts';
import { createLogger } from '../../shared/logger.ts';
import { createRedis } from '../../shared/queue/redis.ts';
import { createSubmissionQueue } from '../../shared/queue/submission-queue.ts';
import { useTestService } from '../helpers/service.ts';

const message = (n: string) => Buffer.from(`Received: from a.example (a.example [203.0.113.7])\r\n\tby mx.example; Fri, 27 Nov 2026 10:00:00 +0000\r\nSubject: ${n}\r\n\r\nbody ${n}\r\n`);

describe('Idempotency-Key is scoped to the API key', () => {
  const t = useTestService({ ROLES: 'api', REDIS_PREFIX: `${process.env.REDIS_PREFIX}-idem` });

  const post = (key: string, raw: Buffer, idem: string) =>
    fetch(`${t.svc.url}/v1/intake/email`, {
      method: 'POST',
      body: new Uint8Array(raw),
      headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${key}`, 'idempotency-key': idem },
    }).then(async (r) => ({ code: r.status, ...((await r.json()) as { id: string; duplicate: boolean }) }));

  it("gives a second client reusing another's key its own submission, and each client its own repeats", async () => {
    const a = await createApiKey(t.ds, 'intake', 'mta-a');
    const b = await createApiKey(t.ds, 'intake', 'mta-b');
    const first = await post(a.key, message('from A'), 'queue-id-4711');
    const other = await post(b.key, message('from B'), 'queue-id-4711');
    expect(other.code).to.equal(202);
    expect(other.duplicate).to.equal(false);
    expect(other.id).not.to.equal(first.id);
    // Each client's retry is still its own repeat.
    expect(await post(a.key, message('from A'), 'queue-id-4711')).to.include({ id: first.id, duplicate: true });
    expect(await post(b.key, message('from B'), 'queue-id-4711')).to.include({ id: other.id, duplicate: true });
    // Both messages were kept, each on its own client's submission.
    const rows: { id: string; api_key_id: string; subject: string }[] = await t.ds.query(
      `SELECT s.id, s.api_key_id, convert_from(substring(m.content from position('Subject: '::bytea in m.content) + 9 for 6), 'UTF8') AS subject
         FROM submissions s JOIN raw_messages m ON m.sha256 = s.raw_sha256 ORDER BY s.received_at`,
    );
    expect(rows.map((r) => [r.id, r.api_key_id, r.subject])).to.deep.equal([[first.id, a.id, 'from A'], [other.id, b.id, 'from B']]);
  });

  it('keeps two clients apart inside one group commit too', async () => {
    const producer = createRedis(process.env.REDIS_URL!, { failFast: true });
    const queue = createSubmissionQueue(producer, `${process.env.REDIS_PREFIX}-idem-writer`);
    try {
      const writer = new SubmissionWriter(t.ds, queue, createLogger('silent'), { maxInFlight: 1 });
      const [x, y, xAgain] = await Promise.all([
        writer.accept({ channel: 'http', raw: message('x'), idempotencyKey: 'k', apiKeyId: 'key-x' }),
        writer.accept({ channel: 'http', raw: message('y'), idempotencyKey: 'k', apiKeyId: 'key-y' }),
        writer.accept({ channel: 'http', raw: message('x'), idempotencyKey: 'k', apiKeyId: 'key-x' }),
      ]);
      expect(x.duplicate).to.equal(false);
      expect(y.duplicate).to.equal(false);
      expect(y.id).not.to.equal(x.id);
      expect(xAgain).to.include({ id: x.id, duplicate: true });
    } finally {
      await queue.close();
      producer.disconnect();
    }
  });
});
