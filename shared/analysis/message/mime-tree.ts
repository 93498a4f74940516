import { readHeaderSection, headerValue } from './header-section.ts';
import { parseHeaderValue } from './content-type.ts';
import type { HeaderField } from './types.ts';
import type { ExtractionLimits } from './limits.ts';

/** One MIME entity of a message, with its body still transfer-encoded (a zero-copy view of the input). */
export interface MimePart {
  headers: HeaderField[];
  /** Lower-cased `type/subtype`; the RFC 2045 default (`text/plain`, or `message/rfc822` in a digest) when absent. */
  contentType: string;
  params: Record<string, string>;
  /** Content-Transfer-Encoding, lower-cased, or null. */
  encoding: string | null;
  /** Content-Disposition parameters (filename) and value (attachment / inline); '' when absent. */
  disposition: string;
  dispositionParams: Record<string, string>;
  /** The entity's body bytes (headers excluded). */
  body: Buffer;
  /** The entity's bytes, headers included. */
  raw: Buffer;
  /** 0 for the message itself, 1 for its parts, … */
  depth: number;
  /** Index of the enclosing multipart in the returned list, or -1. */
  parent: number;
}

/** Counters shared by every walk of one submission, so the part cap holds over nested messages too. */
export interface WalkBudget {
  parts: number;
  truncated: string[];
}

/**
 * `type/subtype` with the type in RFC 2045 token characters (the value is lower-cased and trimmed). The
 * subtype is only required to be there: one damaged byte in `multipart/report` must not cost the structure.
 */
const MEDIA_TYPE = /^[a-z0-9!#$%&'*+.^_`{|}~-]+\/[^\s/]+$/;
const DASH = 0x2d;
const LF = 0x0a;
const CR = 0x0d;

function makePart(raw: Buffer, headers: HeaderField[], bodyStart: number, depth: number, parent: number, digest: boolean): MimePart {
  const ct = parseHeaderValue(headerValue(headers, 'content-type'));
  const cd = parseHeaderValue(headerValue(headers, 'content-disposition'));
  const enc = headerValue(headers, 'content-transfer-encoding');
  // RFC 2045 §5.2: a Content-Type that is not `type/subtype` reads as the default.
  const contentType = MEDIA_TYPE.test(ct.value) ? ct.value : digest ? 'message/rfc822' : 'text/plain';
  return {
    headers,
    contentType,
    params: ct.params,
    encoding: enc ? enc.trim().toLowerCase() : null,
    disposition: cd.value,
    dispositionParams: cd.params,
    body: raw.subarray(bodyStart),
    raw,
    depth,
    parent,
  };
}

/**
 * Split a multipart body at its boundary lines. A delimiter counts only at the start of a line and
 * when followed by `--`, blanks or the line end, so a longer boundary that shares a prefix is not
 * taken for it. Returns zero-copy views; an unclosed multipart ends at the end of the input.
 */
export function splitMultipart(body: Buffer, boundary: string, maxParts: number): { parts: Buffer[]; closed: boolean; cut: boolean } {
  const delim = Buffer.from(`--${boundary}`, 'latin1');
  const parts: Buffer[] = [];
  let partStart = -1;
  let pos = 0;
  while (pos <= body.length) {
    const at = body.indexOf(delim, pos);
    if (at < 0) break;
    const after = at + delim.length;
    const lineStart = at === 0 || body[at - 1] === LF;
    const next = body[after];
    const closing = next === DASH && body[after + 1] === DASH;
    const okEnd = next === undefined || next === LF || next === CR || next === 0x20 || next === 0x09 || closing;
    if (!lineStart || !okEnd) {
      pos = after;
      continue;
    }
    if (partStart >= 0) {
      // The line break before the delimiter belongs to the delimiter.
      let end = at;
      if (end > partStart && body[end - 1] === LF) end--;
      if (end > partStart && body[end - 1] === CR) end--;
      parts.push(body.subarray(partStart, end));
      if (parts.length >= maxParts) return { parts, closed: false, cut: true };
    }
    if (closing) return { parts, closed: true, cut: false };
    const lf = body.indexOf(LF, after);
    partStart = lf < 0 ? body.length : lf + 1;
    pos = partStart;
  }
  if (partStart >= 0 && partStart < body.length) parts.push(body.subarray(partStart));
  return { parts, closed: false, cut: false };
}

/**
 * A multipart whose `boundary=` parameter was folded without indentation ends its header section at
 * that line, which then opens the body; read the parameter from there, as mail clients do.
 */
function strayBoundary(body: Buffer): string | undefined {
  const head = body.subarray(0, 512).toString('latin1').trimStart();
  if (!head.toLowerCase().startsWith('boundary=')) return undefined;
  const lf = head.indexOf('\n');
  return parseHeaderValue(`x; ${lf < 0 ? head : head.slice(0, lf)}`).params.boundary || undefined;
}

/**
 * Flatten the MIME tree of one message (already split into headers and body). Multiparts are
 * followed with an explicit stack, so deep nesting cannot overflow the call stack; message/rfc822
 * parts are listed but not entered (each attached message is a message of its own to the caller).
 * Parts come back in document order.
 */
export function walkMime(
  raw: Buffer,
  headers: HeaderField[],
  bodyStart: number,
  depth: number,
  limits: ExtractionLimits,
  budget: WalkBudget,
): MimePart[] {
  const out: MimePart[] = [];
  const root = makePart(raw, headers, bodyStart, depth, -1, false);
  // Stack of parts still to expand; children are pushed in reverse so they pop in document order.
  const stack: MimePart[] = [root];
  budget.parts++;
  while (stack.length > 0) {
    const part = stack.pop()!;
    const index = out.length;
    out.push(part);
    if (!part.contentType.startsWith('multipart/')) continue;
    const boundary = part.params.boundary ?? strayBoundary(part.body);
    if (!boundary) {
      budget.truncated.push(`${part.contentType} without a boundary at depth ${part.depth}: read as one part`);
      continue;
    }
    if (part.depth + 1 > limits.mimeDepth) {
      budget.truncated.push(`MIME nesting deeper than ${limits.mimeDepth}: inner parts not read`);
      continue;
    }
    const room = limits.mimeParts - budget.parts;
    if (room <= 0) {
      budget.truncated.push(`more than ${limits.mimeParts} MIME parts: the rest not read`);
      continue;
    }
    const split = splitMultipart(part.body, boundary, room);
    if (split.cut) budget.truncated.push(`more than ${limits.mimeParts} MIME parts: the rest not read`);
    const digest = part.contentType === 'multipart/digest';
    const children: MimePart[] = [];
    for (const p of split.parts) {
      const hs = readHeaderSection(p, limits, 'part');
      for (const t of hs.truncated) budget.truncated.push(`MIME part: ${t}`);
      children.push(makePart(p, hs.headers, hs.bodyStart, part.depth + 1, index, digest));
    }
    budget.parts += children.length;
    for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]!);
  }
  return out;
}
