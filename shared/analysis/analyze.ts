import type { Analysis, AnalyzedReport } from './types.ts';
import type { Extraction } from './message/types.ts';
import { extractMessages } from './message/extract-messages.ts';
import type { CompiledTenancy } from '../tenancy/compiled-tenancy.ts';
import { firstAddress } from './attribute/addresses.ts';
import { attributeMessage, type MessageContext } from './attribute/attribute-message.ts';
import { addContentFeatures } from '../campaigns/add-content-features.ts';
import { hasPlatformSignature, verifyPlatformSignatures, type SignatureCheck } from './attribute/verify-signatures.ts';

/**
 * The analysis core's entry point: classify and extract the reported messages, verify platform
 * signatures where there are any, then walk and attribute each message. No I/O: the tenancy comes
 * in compiled, and DKIM keys are answered from it. Hostile input gives a result (`empty` with a
 * reason at worst), never a throw: the fuzz test holds this without any catch-all here, so that a
 * bug surfaces as a failed job rather than as a silently discarded report.
 */

export interface AnalyzeOptions {
  /** Verify DKIM/ARC signatures by platform signing domains (the `verified` signal). @defaultValue true */
  verifySignatures?: boolean;
  /**
   * The feedback loop the intake channel was bound to (the submission's `feedback_loop`), or null.
   * Only then does an ARF Source-IP anchor the walk. @defaultValue null
   */
  feedbackLoop?: string | null;
  /** Compute each report's content features (campaigns). @defaultValue true */
  contentFeatures?: boolean;
}

/** The time a message was received by the first (trusted) hop, to judge signature expiry by. */
function receivedAt(raw: Extraction['messages'][number]): Date | null {
  const top = raw.headers.find((h) => h.name === 'received')?.value;
  const semi = top?.lastIndexOf(';') ?? -1;
  if (!top || semi < 0) return null;
  const d = new Date(top.slice(semi + 1, semi + 100).trim());
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The synchronous core: attribute every extracted message. `signatures[i]` belongs to message i. */
export function analyzeExtraction(
  extraction: Extraction,
  tenancy: CompiledTenancy,
  signatures: (SignatureCheck | null)[] = [],
  opts: Pick<AnalyzeOptions, 'feedbackLoop'> = {},
): Analysis {
  const wrapperFrom = extraction.wrapper?.from ?? null;
  const ctx: MessageContext = { tenancy, reporter: firstAddress(wrapperFrom), submissionNotes: extraction.truncated, feedbackLoop: opts.feedbackLoop ?? null };
  // Bounces and auto-replies are never reports, whatever the extractor found inside them (mail loops).
  const silent = extraction.kind === 'dsn' || extraction.kind === 'auto-reply';
  const reports: AnalyzedReport[] = [];
  if (!silent) {
    extraction.messages.forEach((m, i) => {
      reports.push(attributeMessage(m, ctx, signatures[i] ?? null));
    });
  }
  return {
    kind: extraction.kind,
    reports,
    reason: reports.length ? null : (extraction.reason ?? (silent ? extraction.kind : 'no reported message found')),
    wrapper: extraction.wrapper ? { from: extraction.wrapper.from, subject: extraction.wrapper.subject } : null,
  };
}

/** Full analysis of one submission's raw bytes. */
export async function analyzeSubmission(raw: Buffer, tenancy: CompiledTenancy, opts: AnalyzeOptions = {}): Promise<Analysis> {
  const extraction = extractMessages(raw);
  const signatures: (SignatureCheck | null)[] = [];
  if (opts.verifySignatures !== false && tenancy.signingDomains.size > 0) {
    for (const m of extraction.messages) {
      signatures.push(hasPlatformSignature(m.headers, tenancy) ? await verifyPlatformSignatures(m.raw, m.headers, tenancy, receivedAt(m)) : null);
    }
  }
  const analysis = analyzeExtraction(extraction, tenancy, signatures, opts);
  if (opts.contentFeatures !== false) addContentFeatures(analysis, extraction, raw);
  return analysis;
}
