import { z } from 'zod';

/** A duration as `90s`, `30m`, `24h`, `7d` or plain milliseconds; parsed to milliseconds. */
export const duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(String(v));
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 }[(m?.[2] ?? 'ms') as 'ms'];
  const ms = m ? Number(m[1]) * unit : NaN;
  if (!(ms > 0)) ctx.addIssue({ code: 'custom', message: 'use a duration like 90s, 30m, 24h, 7d' });
  return ms;
});
