import type { Analysis } from '../analysis/types.ts';
import type { Extraction } from '../analysis/message/types.ts';
import { contentFeatures } from './content-features.ts';
import { reportedBody } from './reported-body.ts';

/**
 * Sets `content` on each report of an analysis: report i is extraction message i (the core keeps
 * that order). Pure; the submission's bytes are needed only for inline forwards, whose spam body
 * sits in the wrapper's text below the forward block.
 */
export function addContentFeatures(analysis: Analysis, extraction: Extraction, raw: Buffer): void {
  if (analysis.reports.length !== extraction.messages.length) return;
  analysis.reports.forEach((report, i) => {
    report.content = contentFeatures(reportedBody(extraction.messages[i]!, raw), report.subject);
  });
}
