import { ipKeyGenerator } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import type { Config } from '../../shared/config/config.schema.ts';

/**
 * How many confirmation mails (report confirmations, personal-address links) one normalised
 * address and one client IP may cause per hour, in Redis so every api process shares the budget.
 * It keeps the forms from being used to flood somebody's mailbox: `jo+1@x` and `jo+2@x` are one
 * address here. Fails closed: when Redis does not answer, no mail is sent (the report itself is
 * already stored; only its confirmation waits).
 */
export class MailBudget {
  constructor(
    private readonly redis: Redis,
    private readonly config: Config,
    private readonly timeoutMs = 500,
  ) {}

  /** Takes one mail from both budgets; false (and nothing mailed) when either is spent or Redis is away. */
  async take(identity: string, clientIp: string | null): Promise<boolean> {
    const hour = Math.floor(Date.now() / 3600_000);
    const p = this.config.REDIS_PREFIX;
    const addrKey = `${p}:trust-mail:addr:${identity}:${hour}`;
    const ipKey = `${p}:trust-mail:ip:${ipKeyGenerator(clientIp ?? 'unknown')}:${hour}`;
    let timer: NodeJS.Timeout | undefined;
    try {
      const replies = await Promise.race([
        this.redis.multi().incr(addrKey).expire(addrKey, 7200).incr(ipKey).expire(ipKey, 7200).exec(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('redis gave no answer')), this.timeoutMs);
        }),
      ]);
      const addr = Number(replies?.[0]?.[1] ?? Infinity);
      const ip = Number(replies?.[2]?.[1] ?? Infinity);
      return addr <= this.config.CONFIRM_MAILS_PER_ADDRESS && ip <= this.config.CONFIRM_MAILS_PER_IP;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
