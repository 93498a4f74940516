/**
 * The evidence trail: one line per attribution step, `hop N [rule] why`. Values quoted in a line come
 * from hostile mail, so control characters are replaced (they would reach terminals through
 * `analyze --explain`) and every line and the trail itself are bounded.
 */

/** Most lines one report's trail can hold; the walk is bounded by the hop limit well below this. */
export const MAX_EVIDENCE_LINES = 400;
export const MAX_EVIDENCE_LINE = 400;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Makes a value from a message safe to quote in one evidence line. */
export function quote(value: string | null | undefined, max = 120): string {
  if (value === null || value === undefined) return '(none)';
  const clean = value.replace(CONTROL, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

export class EvidenceTrail {
  readonly lines: string[] = [];
  private dropped = 0;

  /** `hop` is the hop index, or null for a step that is not about one hop (tenant, ARF, extraction). */
  add(hop: number | null, rule: string, why: string): void {
    if (this.lines.length >= MAX_EVIDENCE_LINES - 1) {
      this.dropped++;
      return;
    }
    const line = `${hop === null ? '-' : `hop ${hop}`} [${rule}] ${why.replace(CONTROL, '?')}`;
    this.lines.push(line.length > MAX_EVIDENCE_LINE ? `${line.slice(0, MAX_EVIDENCE_LINE - 1)}…` : line);
  }

  /** The finished trail; says how many lines were left out when the bound was hit. */
  finish(): string[] {
    if (this.dropped) this.lines.push(`- [limit] ${this.dropped} further evidence lines left out`);
    return this.lines;
  }
}
