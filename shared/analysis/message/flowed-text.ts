/**
 * RFC 3676 `format=flowed` decoding: a line that ends in a space continues on the next line of the same
 * quote depth. Linear (one pass, no regex over the text). Quote marks of a paragraph are kept as its first
 * line wrote them; the space-stuffing after them (or at the start of an unquoted line) is removed.
 */

const GT = 0x3e;

/**
 * Decode flowed text (line ends already LF). `delSp` (`DelSp=yes`): the space before a soft break was
 * added by the sender and is removed. A final line break is kept, as in text that is not flowed.
 */
export function decodeFlowed(text: string, delSp: boolean): string {
  const lines = text.split('\n');
  const endsWithBreak = lines.length > 1 && lines[lines.length - 1] === '';
  if (endsWithBreak) lines.pop();
  const out: string[] = [];
  let paragraph: string[] = [];
  let prefix = '';
  let depth = -1;
  let open = false; // the previous line was flowed: this one may continue it
  const flush = (): void => {
    if (depth >= 0) out.push(prefix + paragraph.join(''));
    paragraph = [];
  };
  for (const line of lines) {
    let d = 0;
    while (line.charCodeAt(d) === GT) d++;
    const stuffed = line.charCodeAt(d) === 0x20;
    let content = line.slice(stuffed ? d + 1 : d);
    // "-- " alone is the signature separator, never a soft break (RFC 3676 §4.3).
    const flowed = content.endsWith(' ') && content !== '-- ';
    if (flowed && delSp) content = content.slice(0, -1);
    if (!(open && d === depth)) {
      flush();
      depth = d;
      prefix = d > 0 ? line.slice(0, stuffed ? d + 1 : d) : '';
    }
    paragraph.push(content);
    open = flowed;
  }
  flush();
  return out.join('\n') + (endsWithBreak ? '\n' : '');
}
