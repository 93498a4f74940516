import { prng } from './labelled-set.ts';

/**
 * Hand-written spam for campaign tests: campaign `k` is a text of its own (seeded random words from
 * a large vocabulary, so two campaigns share hardly a phrase) with its own link domain; each copy
 * greets its recipient, carries fresh numbers and a per-recipient link token. `headersOnly` gives a
 * report with no body (nothing to judge).
 */
const VOCABULARY = (
  'account action address agent amount answer apple bank bonus border branch bright budget button cable camera card cargo ' +
  'carbon castle casino charge cheap circle claim clinic coffee coin collect confirm contract copper credit crypto custom ' +
  'delivery deposit diamond diploma discount doctor dollar double dragon driver energy engine estate exclusive express ' +
  'factory falcon fashion finance flower forest fortune freight garden global golden guarantee harbor health holiday ' +
  'income invoice island jacket jewel ladder legal letter limited liquid loan lucky market medal member mirror modern ' +
  'mortgage nature network office orange package palace parcel partner pension pharmacy planet platinum pocket premium ' +
  'prize profit quality rapid refund reward river rocket royal safety salary secure silver simple smart solar special ' +
  'spring station stock storm summit supply system ticket timber token travel treasure trust unlock urgent valley verify ' +
  'victory vintage voucher wallet watch weekend winner winter yield'
).split(' ');

export function campaignText(k: number): string {
  const r = prng(1000 + k);
  return Array.from({ length: 70 }, (_, i) => `${VOCABULARY[Math.floor(r() * VOCABULARY.length)]}${i % 12 === 11 ? '.' : ''}`).join(' ');
}

export function campaignSpam(k: number, copy: number, opts: { headersOnly?: boolean; ip?: string } = {}): Buffer {
  const name = ['Alice', 'Bob', 'Carol', 'Dave', 'Erin', 'Frank'][copy % 6]!;
  const headers = [
    `Received: from sender (unknown [${opts.ip ?? `203.0.113.${(copy % 200) + 1}`}]) by mx.victim.example with SMTP id c${k}x${copy}; Tue, 3 Mar 2026 09:59:58 +0000`,
    `From: Offers <offers${copy}@sender${copy}.example>`,
    `To: ${name} <${name.toLowerCase()}@victim.example>`,
    `Subject: Your ${VOCABULARY[k % VOCABULARY.length]} ${1000 + copy * 17} is waiting`,
    `Message-ID: <c${k}-${copy}@sender.example>`,
    'Date: Tue, 3 Mar 2026 09:59:50 +0000',
  ];
  if (opts.headersOnly) return Buffer.from(`${headers.join('\r\n')}\r\n\r\n`);
  const body = [`Dear ${name},`, '', campaignText(k), '', `Order ${copy * 1234 + 77}: http://www.promo${k}-deals.com/c/${copy}x${k}tok${copy * 31}`].join('\r\n');
  return Buffer.from(`${headers.join('\r\n')}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`);
}
