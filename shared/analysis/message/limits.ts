/**
 * Bounds on how much of a submission extraction reads. Reported mail is hostile: every loop in
 * the extractor is capped by one of these, and each cap that is reached is recorded in
 * `Extraction.truncated` so the evidence trail says what was not read.
 */
export interface ExtractionLimits {
  /**
   * Bytes of one header section (the outer message, an attached message, a pasted block) that are parsed.
   * @defaultValue 262144 (256 KiB)
   */
  headerBytes: number;
  /**
   * Header fields kept per header section; later fields are dropped.
   * @defaultValue 2000
   */
  headerFields: number;
  /**
   * How deep multipart / message/rfc822 nesting is followed (the outer message is depth 0).
   * @defaultValue 8
   */
  mimeDepth: number;
  /**
   * MIME parts visited per submission, over all nesting levels.
   * @defaultValue 200
   */
  mimeParts: number;
  /**
   * Reported messages returned per submission (a forward with more attachments is cut here).
   * @defaultValue 20
   */
  messages: number;
  /**
   * Bytes of a text body (after transfer decoding) searched for inline forwards and pasted headers,
   * and bytes of a report part (ARF / X-ARF) that are read.
   * @defaultValue 262144 (256 KiB)
   */
  inlineScanBytes: number;
}

export const DEFAULT_EXTRACTION_LIMITS: Readonly<ExtractionLimits> = Object.freeze({
  headerBytes: 256 * 1024,
  headerFields: 2000,
  mimeDepth: 8,
  mimeParts: 200,
  messages: 20,
  inlineScanBytes: 256 * 1024,
});

/** Merge caller limits over the defaults; non-finite or negative values fall back to the default. */
export function resolveLimits(partial?: Partial<ExtractionLimits>): ExtractionLimits {
  const out = { ...DEFAULT_EXTRACTION_LIMITS };
  if (partial) {
    for (const key of Object.keys(out) as (keyof ExtractionLimits)[]) {
      const v = partial[key];
      if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[key] = Math.floor(v);
    }
  }
  return out;
}
