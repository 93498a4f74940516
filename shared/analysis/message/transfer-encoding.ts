/**
 * Content-Transfer-Encoding decoders. Called only for the parts extraction must read (an encoded
 * message/rfc822, a text body searched for inline forwards, a report part), and always on a
 * length-capped slice. Both are lenient: garbage bytes are skipped, never thrown on.
 */

/** Decode `body` by its Content-Transfer-Encoding; identity for 7bit/8bit/binary/unknown. */
export function decodeTransfer(body: Buffer, encoding: string | null): Buffer {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === 'base64') return Buffer.from(body.toString('latin1'), 'base64');
  if (enc === 'quoted-printable') return decodeQuotedPrintable(body);
  return body;
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

/**
 * Quoted-printable (RFC 2045 §6.7): `=XX` bytes, `=` + line break is a soft break; invalid escapes kept
 * literally; blanks at the end of a line are dropped (rule 3: transport added them) unless `keepBlanks`
 * (RFC 2047 Q words, where a blank at the end is text).
 */
export function decodeQuotedPrintable(body: Buffer, keepBlanks = false): Buffer {
  const out = Buffer.allocUnsafe(body.length);
  let o = 0;
  const n = body.length;
  for (let i = 0; i < n; i++) {
    const b = body[i]!;
    if ((b === 0x20 || b === 0x09) && !keepBlanks) {
      // A run of blanks is copied unless it ends the line (each run is scanned once: linear).
      let j = i;
      while (j < n && (body[j] === 0x20 || body[j] === 0x09)) j++;
      const atLineEnd = j === n || body[j] === 0x0a || (body[j] === 0x0d && body[j + 1] === 0x0a);
      if (!atLineEnd) o += body.copy(out, o, i, j);
      i = j - 1;
      continue;
    }
    if (b !== 0x3d) {
      out[o++] = b;
      continue;
    }
    // Soft line break: "=" [blanks] CRLF|LF
    let j = i + 1;
    while (j < n && (body[j] === 0x20 || body[j] === 0x09)) j++;
    if (j < n && body[j] === 0x0d && body[j + 1] === 0x0a) {
      i = j + 1;
      continue;
    }
    if (j < n && body[j] === 0x0a) {
      i = j;
      continue;
    }
    if (j >= n) break;
    const h = i + 2 < n ? hexValue(body[i + 1]!) : -1;
    const l = i + 2 < n ? hexValue(body[i + 2]!) : -1;
    if (h >= 0 && l >= 0) {
      out[o++] = (h << 4) | l;
      i += 2;
    } else {
      out[o++] = b;
    }
  }
  return out.subarray(0, o);
}
