import { Router } from 'express';
import { AppError } from '../../shared/errors/app-error.ts';
import type { ApiContext } from '../context.ts';
import type { ApiKeyAuthenticator } from '../middleware/require-role.ts';
import { readLimitedBody } from './read-limited-body.ts';
import { backlogGauge } from '../../shared/intake/backpressure.ts';
import { keyTrust } from '../../shared/trust/channel-trust.ts';
import { InflightBytes } from '../middleware/inflight-bytes.ts';

/**
 * `POST /v1/intake/email`: a raw RFC 822 message from an MTA pipe or an inbound-mail webhook.
 * Registered on the `router` given — the app itself for the hot path, so a request does not walk
 * a nested router (Express 5's prefix handling per level showed in bench:intake profiles).
 */
export function intakeRoutes(ctx: ApiContext, auth: ApiKeyAuthenticator, router: Pick<Router, 'post'> = Router()): void {
  const backlog = backlogGauge(ctx.queue, ctx.config.INTAKE_HIGH_WATER);
  // Bodies held at once, whoever sends them: 64 parallel 25 MB posts from one intake key took the
  // process to 2.3 GB. Past the bound, 503 + Retry-After before the body is read (an MTA keeps the
  // message and retries). No per-client share: the clients are our own keys.
  const inflight = new InflightBytes({ total: ctx.config.INTAKE_INFLIGHT_BYTES ?? 8 * ctx.config.MAX_MESSAGE_BYTES });
  router.post('/v1/intake/email', auth.require('intake', 'admin'), inflight.guard(() => ctx.config.MAX_MESSAGE_BYTES, 'reserve-max'), async (req, res) => {
    // Mounted before helmet: the answer is JSON for a machine, so of the browser policy headers
    // only these two matter (helmet's dozen cost ~8% of an intake request in bench:intake).
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    // Above the high-water mark: 503 + Retry-After before reading the body (docs/intake.md).
    await backlog.check().catch((err: unknown) => {
      res.set('Connection', 'close');
      throw err;
    });
    if (!req.is('message/rfc822')) {
      // Unread body: close the connection rather than drain an upload we refuse.
      res.set('Connection', 'close');
      throw new AppError('unsupported_media_type', 'send the raw message with Content-Type: message/rfc822', {
        received: req.get('content-type') ?? null,
      });
    }
    let raw: Buffer;
    try {
      raw = await readLimitedBody(req, ctx.config.MAX_MESSAGE_BYTES);
    } catch (err) {
      res.set('Connection', 'close');
      throw err;
    }
    if (raw.length === 0) throw new AppError('empty_body', 'the request body is empty; send the raw message');
    const reporter = req.get('x-reporter');
    // The MTA pipe knows the envelope sender (the reporter); it reaches reputation, so keep it sane.
    if (reporter !== undefined && (reporter.length > 320 || !/^[^\s@<>]+@[^\s@<>]+$/.test(reporter))) {
      throw new AppError('validation_failed', 'X-Reporter must be one email address (at most 320 characters)', { header: 'X-Reporter' });
    }
    const key = req.get('idempotency-key');
    if (key !== undefined && (key.length === 0 || key.length > 200)) {
      throw new AppError('validation_failed', 'Idempotency-Key must be 1 to 200 characters');
    }
    const accepted = await ctx.writer.accept({
      channel: 'http',
      raw,
      clientIp: req.ip ?? null,
      reporter: reporter?.toLowerCase() ?? null,
      idempotencyKey: key ?? null,
      apiKeyId: req.principal?.id ?? null,
      // The key's trust, from the cached key lookup (no query); X-Reporter is the end user it vouches for.
      trust: keyTrust(req.principal!, reporter),
    });
    // Written directly rather than with res.json(): no ETag (a hash of the body) for a 202 to a POST.
    res.writeHead(202, { 'Content-Type': 'application/json; charset=utf-8', Location: `/v1/submissions/${accepted.id}` });
    res.end(JSON.stringify({ id: accepted.id, status: accepted.status, duplicate: accepted.duplicate }));
  });
}
