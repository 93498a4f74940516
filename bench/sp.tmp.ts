import { simpleParser } from 'mailparser';
import { buildMix } from './e2e/messages.ts';
const mix = buildMix(400);
for (let r = 0; r < 4; r++) {
  let n = 0; const t0 = Date.now();
  do { for (const m of mix) await simpleParser(m.raw); n += mix.length; } while (Date.now() - t0 < 5000);
  const big = mix.find((m) => m.kind === 'big')!.raw; const t1 = Date.now(); await simpleParser(big);
  console.log((n / ((Date.now() - t0) / 1000)).toFixed(1), 'msg/s; big alone ms', Date.now() - t1);
}
