import { dkimVerify } from 'mailauth';
import type { CompiledTenancy } from '../../tenancy/compiled-tenancy.ts';
import type { HeaderField } from '../message/types.ts';
import { dkimKeyRecord } from './dkim-key-record.ts';

/**
 * The `verified` signal: DKIM (and the newest ARC message signature) checked with mailauth, the keys
 * answered from the tenancy file's `platform.signingDomains` instead of DNS. No network: a name the
 * file does not hold is answered ENOTFOUND, and only messages that carry a signature by a platform
 * signing domain are verified at all (verification is the costly step, most messages skip it).
 */

export interface VerifiedSignature {
  type: 'DKIM' | 'ARC';
  domain: string;
  selector: string;
  /** The header fields the signature covers, as signed (name lower-case, value unfolded). */
  signedHeaders: HeaderField[];
}

export interface SignatureCheck {
  verified: VerifiedSignature[];
  /** One line per platform signature looked at, for the evidence trail. */
  notes: string[];
}

const SIGNATURE_HEADERS = new Set(['dkim-signature', 'arc-message-signature']);

/** The `d=` tag of a DKIM-style tag list, lower-case, or null. Linear scan, no regex backtracking. */
export function signatureDomain(value: string): string | null {
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim().toLowerCase() === 'd') return part.slice(eq + 1).replace(/\s+/g, '').toLowerCase() || null;
  }
  return null;
}

/** True when a signature in `headers` names a platform signing domain, i.e. verification is worth running. */
export function hasPlatformSignature(headers: readonly HeaderField[], t: CompiledTenancy): boolean {
  if (t.signingDomains.size === 0) return false;
  return headers.some((h) => SIGNATURE_HEADERS.has(h.name) && t.signingDomains.has(signatureDomain(h.value) ?? ''));
}

/**
 * Most signatures a message may carry for verification to run: mailauth checks every one, so a
 * message with thousands would cost seconds of CPU. Real mail carries a handful.
 */
export const MAX_SIGNATURES = 16;

export function signatureCount(headers: readonly HeaderField[]): number {
  let n = 0;
  for (const h of headers) if (SIGNATURE_HEADERS.has(h.name)) n++;
  return n;
}

function notFound(name: string): Error {
  return Object.assign(new Error(`no key for ${name} in the tenancy file`), { code: 'ENOTFOUND' });
}

function splitSignedLine(line: string): HeaderField | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  return { name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').replace(/\s+/g, ' ').trim() };
}

interface MailauthResult {
  signingDomain?: string;
  selector?: string;
  status?: { result?: string; comment?: string };
  signingHeaders?: { headers?: string[] };
}

function toVerified(type: 'DKIM' | 'ARC', r: MailauthResult, t: CompiledTenancy, notes: string[]): VerifiedSignature | null {
  const domain = (r.signingDomain ?? '').toLowerCase();
  if (!t.signingDomains.has(domain)) return null;
  const result = r.status?.result ?? 'none';
  if (result !== 'pass') {
    notes.push(`${type} signature d=${domain} s=${r.selector ?? '?'} did not verify: ${result}${r.status?.comment ? ` (${r.status.comment})` : ''}`);
    return null;
  }
  const signedHeaders = (r.signingHeaders?.headers ?? []).map(splitSignedLine).filter((h): h is HeaderField => h !== null);
  notes.push(`${type} signature d=${domain} s=${r.selector ?? '?'} verifies with the tenancy file's key`);
  return { type, domain, selector: r.selector ?? '', signedHeaders };
}

/**
 * Verifies the platform's signatures on `raw` (the reported message's own bytes). `at` is the time
 * to judge expiry against (the time the message was received, not now: reports arrive late).
 * Never throws: a failure is a note and no verified signature.
 */
export async function verifyPlatformSignatures(raw: Buffer, headers: readonly HeaderField[], t: CompiledTenancy, at: Date | null): Promise<SignatureCheck> {
  const notes: string[] = [];
  const count = signatureCount(headers);
  if (count > MAX_SIGNATURES) {
    notes.push(`${count} signatures: more than ${MAX_SIGNATURES}, not verified`);
    return { verified: [], notes };
  }
  const resolver = async (name: string, rrtype: string): Promise<string[][]> => {
    const lower = name.toLowerCase().replace(/\.$/, '');
    const marker = '._domainkey.';
    const cut = lower.indexOf(marker);
    if (rrtype !== 'TXT' || cut < 0) throw notFound(name);
    const selector = lower.slice(0, cut);
    const domain = lower.slice(cut + marker.length);
    const key = t.signingDomains.get(domain)?.find((s) => s.selector.toLowerCase() === selector);
    if (!key) throw notFound(name);
    return [[dkimKeyRecord(key.publicKey)]];
  };
  try {
    const res = await dkimVerify(raw, { resolver, curTime: at ?? new Date() });
    const verified: VerifiedSignature[] = [];
    for (const r of res.results as MailauthResult[]) {
      const v = toVerified('DKIM', r, t, notes);
      if (v) verified.push(v);
    }
    const ams = (res as unknown as { arc?: { lastEntry?: { messageSignature?: MailauthResult } } }).arc?.lastEntry?.messageSignature;
    if (ams) {
      const v = toVerified('ARC', ams, t, notes);
      if (v) verified.push(v);
    }
    return { verified, notes };
  } catch (err) {
    notes.push(`signature verification failed: ${(err as Error).message}`);
    return { verified: [], notes };
  }
}
