import { extractMessages } from '../../shared/analysis/message/extract-messages.ts';
import { decodeEncodedWords } from '../../shared/analysis/message/encoded-words.ts';
import { headerValue } from '../../shared/analysis/message/header-section.ts';
import { reportedBody } from '../../shared/campaigns/reported-body.ts';
import { corpusFolder } from '../helpers/corpus.ts';

/**
 * A labelled set of campaigns, generated deterministically (seeded) from the real spam of the
 * corpus: each campaign is one corpus spam, each report a copy varied the way real campaigns vary —
 * the recipient's name in the greeting, subject and body, fresh numbers, a per-recipient token in
 * every link, rotating From addresses, domains and relay IPs, text / HTML / both, added footers —
 * and delivered raw, forwarded as an attachment, inside an ARF report or as an inline forward.
 * Ham (reported by mistake, each message by two people) gives negatives. Labels: `label`.
 */

export interface LabelledReport {
  label: string;
  raw: Buffer;
  /** How it was built, for failure messages. */
  how: string;
}

/** A small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['John', 'Maria', 'Wei', 'Fatima', 'Olga', 'Pedro', 'Aisha', 'Kenji', 'Lucas', 'Emma', 'Noah', 'Chloe', 'Ivan', 'Sofia', 'Omar', 'Grace', 'Mateo', 'Hannah', 'Ravi', 'Lena'];
const LAST = ['Smith', 'Garcia', 'Chen', 'Khan', 'Petrova', 'Silva', 'Okafor', 'Tanaka', 'Rossi', 'Müller', 'Novak', 'Dubois', 'Kowalski', 'Jensen'];
const WORDS = ['north', 'blue', 'prime', 'star', 'mega', 'swift', 'bright', 'alpha', 'delta', 'nova', 'zen', 'peak', 'gold', 'sun'];
const TLDS = ['com', 'net', 'info', 'biz', 'xyz', 'top', 'online', 'co.uk', 'ru', 'shop'];
const FOOTERS = [
  'This message was scanned for viruses by MailGuard Antivirus.',
  'To unsubscribe from these mailings reply with REMOVE in the subject line.',
  'Sent from my iPhone',
  'You received this email because you signed up at one of our partner sites. Our postal address: 1 Main Street.',
];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)]!;
}

function token(r: () => number, n: number): string {
  const abc = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < n; i++) s += abc[Math.floor(r() * abc.length)];
  return /\d/.test(s) ? s : `${s.slice(1)}7`;
}

function freshNumbers(r: () => number, s: string): string {
  return s.replace(/\d+/g, (d) => Array.from(d, () => String(Math.floor(r() * 10))).join(''));
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Base spam: corpus messages with enough text to be a campaign (short ones are `none`/`short` by design). */
export function baseSpam(minWords = 20): { name: string; subject: string; text: string }[] {
  const out: { name: string; subject: string; text: string }[] = [];
  const seen = new Set<string>();
  for (const [name, raw] of corpusFolder('spam')) {
    const e = extractMessages(raw);
    const m = e.messages[0];
    if (!m || e.messages.length !== 1) continue;
    const text = reportedBody(m, raw).text.replace(/\r\n?/g, '\n').trim();
    if (text.split(/\s+/).length < minWords) continue;
    // The corpus holds a few copies of one spam (spf1–3, gtubedcc): one campaign each, not three.
    const fingerprint = text.replace(/\s+/g, ' ').slice(0, 200);
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    out.push({ name, subject: decodeEncodedWords(headerValue(m.headers, 'subject') ?? ''), text });
  }
  return out;
}

interface Spam {
  subject: string;
  from: string;
  to: string;
  ip: string;
  plain: string;
  html: string;
  format: 'text' | 'html' | 'alternative';
  id: string;
}

function spamMessage(s: Spam): string {
  const head = [
    `Received: from mx.victim.example (mx.victim.example [198.51.100.10]) by inbox.victim.example with ESMTP id ${s.id}; Tue, 3 Mar 2026 10:00:00 +0000`,
    `Received: from sender.example (unknown [${s.ip}]) by mx.victim.example with SMTP id ${s.id}x; Tue, 3 Mar 2026 09:59:58 +0000`,
    `From: ${s.from}`,
    `To: ${s.to}`,
    `Subject: ${s.subject}`,
    `Message-ID: <${s.id}@sender.example>`,
    'Date: Tue, 3 Mar 2026 09:59:50 +0000',
    'MIME-Version: 1.0',
  ];
  if (s.format === 'text') return [...head, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', s.plain].join('\r\n');
  if (s.format === 'html') return [...head, 'Content-Type: text/html; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', s.html].join('\r\n');
  const b = `alt-${s.id}`;
  return [...head, `Content-Type: multipart/alternative; boundary="${b}"`, '', `--${b}`, 'Content-Type: text/plain; charset=utf-8', '', s.plain,
    `--${b}`, 'Content-Type: text/html; charset=utf-8', '', s.html, `--${b}--`, ''].join('\r\n');
}

function reporterWrapper(kind: 'forward' | 'arf' | 'inline', spam: string, s: Spam, reporter: string): string {
  const id = `w${s.id}`;
  if (kind === 'forward') {
    return [`From: ${reporter}`, 'To: spam@reports.example', `Subject: Fwd: ${s.subject}`, `Message-ID: <${id}@victim.example>`, 'MIME-Version: 1.0',
      `Content-Type: multipart/mixed; boundary="f${id}"`, '', `--f${id}`, 'Content-Type: text/plain', '', 'Please stop this junk, I get it every day.',
      `--f${id}`, 'Content-Type: message/rfc822', 'Content-Disposition: attachment', '', spam, `--f${id}--`, ''].join('\r\n');
  }
  if (kind === 'arf') {
    return ['From: fbl@mailbox.example', 'To: fbl@reports.example', 'Subject: FW: complaint', `Message-ID: <${id}@mailbox.example>`, 'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=feedback-report; boundary="a${id}"`, '', `--a${id}`, 'Content-Type: text/plain', '', 'This is an abuse report.',
      `--a${id}`, 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'User-Agent: MailboxFBL/1.0', 'Version: 1', `Source-IP: ${s.ip}`, '',
      `--a${id}`, 'Content-Type: message/rfc822', '', spam, `--a${id}--`, ''].join('\r\n');
  }
  // Inline: what a mail client writes when forwarding as text (the spam's text below the block).
  return [`From: ${reporter}`, 'To: spam@reports.example', `Subject: Fwd: ${s.subject}`, `Message-ID: <${id}@victim.example>`, 'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8', '', 'Look at this one.', '', '---------- Forwarded message ---------', `From: ${s.from}`,
    'Date: Tue, 3 Mar 2026 09:59:50 +0000', `Subject: ${s.subject}`, `To: ${s.to}`, '', s.plain, ''].join('\r\n');
}

/** The campaign's fixed traits: its link domains, whether it links at all, whether it names the recipient in the body. */
function campaignTraits(r: () => number) {
  const domains = Array.from({ length: r() < 0.3 ? 3 : 1 }, () => `${pick(r, WORDS)}${pick(r, WORDS)}${Math.floor(r() * 90 + 10)}.${pick(r, TLDS)}`);
  return { domains, links: r() < 0.75, nameLine: r() < 0.3, refLine: r() < 0.5 };
}

/** One copy of a campaign's spam, to one recipient. */
export function variant(r: () => number, base: { subject: string; text: string }, traits: ReturnType<typeof campaignTraits>, n: number): { raw: string; how: string } {
  const first = pick(r, FIRST);
  const last = pick(r, LAST);
  const rcptDomain = `${pick(r, WORDS)}-mail.${pick(r, TLDS)}`;
  // Spintax-like rewording: a few words of each copy swapped for others.
  const lines = freshNumbers(r, base.text)
    .split('\n')
    .map((l) => l.split(' ').map((w) => (w.length > 3 && r() < 0.04 ? pick(r, WORDS) : w)).join(' '));
  const greeting = r() < 0.7 ? pick(r, [`Dear ${first},`, `Hi ${first}!`, `Hello ${first} ${last},`, `${first},`]) : null;
  if (greeting) lines.unshift(greeting, '');
  if (traits.nameLine) lines.splice(Math.min(3, lines.length), 0, `${first}, this offer was selected for you personally.`);
  if (traits.refLine) lines.push('', `Your reference number: ${Math.floor(r() * 1e8)}`);
  const link = traits.links ? `http://${pick(r, traits.domains)}/offer/${token(r, 12)}?u=${token(r, 8)}` : null;
  if (link) lines.push('', `Click here: ${link}`);
  // Hash-busting filler: random words that differ in every copy.
  if (r() < 0.3) lines.push('', Array.from({ length: 8 + Math.floor(r() * 12) }, () => pick(r, [...WORDS, ...LAST, ...FIRST]).toLowerCase()).join(' '));
  const footer = r() < 0.4 ? pick(r, FOOTERS) : null;
  if (footer) lines.push('', '--', footer);
  const plain = lines.join('\r\n');
  const html = `<html><body>${lines.map((l) => (l === link ? '' : l.startsWith('Click here: ') ? `<p><a href="${link}">Click here</a></p>` : `<p>${escapeHtml(l)}</p>`)).join('\n')}</body></html>`;
  const subject = `${r() < 0.3 ? `${first}, ` : ''}${freshNumbers(r, base.subject)}`;
  const spamDomain = `${pick(r, WORDS)}${Math.floor(r() * 1000)}.${pick(r, TLDS)}`;
  const s: Spam = {
    subject,
    from: `"${pick(r, ['Support', 'Sales', pick(r, FIRST)])}" <${token(r, 6)}@${spamDomain}>`,
    to: `${first} ${last} <${first.toLowerCase()}.${last.toLowerCase()}@${rcptDomain}>`,
    ip: `203.0.113.${Math.floor(r() * 250) + 1}`,
    plain,
    html,
    format: pick(r, ['text', 'html', 'alternative'] as const),
    id: `v${n}${token(r, 6)}`,
  };
  const spam = spamMessage(s);
  const delivery = r();
  const reporter = `${token(r, 5)}@${rcptDomain}`;
  if (delivery < 0.4) return { raw: spam, how: `raw ${s.format}` };
  if (delivery < 0.65) return { raw: reporterWrapper('forward', spam, s, reporter), how: `forward ${s.format}` };
  if (delivery < 0.85) return { raw: reporterWrapper('arf', spam, s, reporter), how: `arf ${s.format}` };
  return { raw: reporterWrapper('inline', spam, s, reporter), how: 'inline' };
}

/** The set: every base spam as a campaign of `copies` reports, and each ham message reported twice. */
export function labelledSet(seed = 17, copies = 12): LabelledReport[] {
  const r = prng(seed);
  const out: LabelledReport[] = [];
  let n = 0;
  const bases = baseSpam();
  // Hard negatives: "kit siblings", campaigns that reuse half of another campaign's text (the same
  // kit's boilerplate) under their own subject and links. They must stay campaigns of their own.
  // Paired by length, so each half weighs the same: the sibling shares about a third of its shingles with each.
  const byLength = [...bases].sort((x, y) => x.text.length - y.text.length || (x.name < y.name ? -1 : 1));
  const siblings = [0, 2, 4, 6, 8, 10].map((i, k) => {
    const a = byLength[i]!;
    const b = byLength[i + 1]!;
    const half = (t: string, first: boolean) => {
      const words = t.split(/(?<=\s)/); // words with their following blank, so line breaks survive
      return (first ? words.slice(0, Math.ceil(words.length / 2)) : words.slice(Math.floor(words.length / 2))).join('');
    };
    return { name: `sibling:${a.name}+${b.name}`, subject: `${b.subject} (${k})`, text: `${half(a.text, true)}\n${half(b.text, false)}` };
  });
  for (const base of [...bases, ...siblings]) {
    const traits = campaignTraits(r);
    for (let i = 0; i < copies; i++) {
      const v = variant(r, base, traits, n++);
      out.push({ label: base.name, raw: Buffer.from(v.raw, 'utf8'), how: v.how });
    }
  }
  // A ham file that is a spam base's very message (spamassassin's spf1 fixtures) is that campaign, not a negative.
  const hamSeen = new Set<string>(baseSpam().map((b) => b.text.replace(/\s+/g, ' ').slice(0, 200)));
  for (const [name, raw] of corpusFolder('ham')) {
    // Several ham files are one message with different headers (spf1–6): one label, not six.
    const e = extractMessages(raw);
    const text = e.messages[0] ? reportedBody(e.messages[0], raw).text.replace(/\s+/g, ' ').slice(0, 200) : '';
    if (text !== '' && hamSeen.has(text)) continue;
    hamSeen.add(text);
    out.push({ label: name, raw, how: 'ham raw' });
    const wrapped = ['From: someone@victim.example', 'To: spam@reports.example', 'Subject: Fwd: spam?', 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="h"', '', '--h', 'Content-Type: text/plain', '', 'spam?', '--h', 'Content-Type: message/rfc822', '',
      raw.toString('latin1'), '--h--', ''].join('\r\n');
    out.push({ label: name, raw: Buffer.from(wrapped, 'latin1'), how: 'ham forward' });
  }
  // A deterministic shuffle: reports of a campaign arrive interleaved with others, as they do.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Pairwise precision and recall of a grouping (null group = alone) against the labels. */
export function pairwise(labels: readonly string[], groups: readonly (string | null)[]): { precision: number; recall: number; truePairs: number; predictedPairs: number } {
  let tp = 0;
  let predicted = 0;
  let actual = 0;
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      const same = labels[i] === labels[j];
      const grouped = groups[i] !== null && groups[i] === groups[j];
      if (same) actual++;
      if (grouped) predicted++;
      if (same && grouped) tp++;
    }
  }
  return { precision: predicted ? tp / predicted : 1, recall: actual ? tp / actual : 1, truePairs: actual, predictedPairs: predicted };
}
