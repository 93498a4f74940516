/**
 * The three export formats, one line per listing so the export can stream. Reasons are our own
 * decision text, but they are still squeezed to printable ASCII for the rbldnsd TXT record.
 */
export type BlocklistFormat = 'json' | 'text' | 'rbldnsd';

export interface BlocklistEntry {
  ip: string;
  listedAt: Date;
  reasons: string[];
}

// rbldnsd takes the rest of the line as TXT (colons included); keep it one printable-ASCII line.
const txtSafe = (s: string) => s.replace(/≥/g, '>=').replace(/[^\x20-\x7e]/g, '?').slice(0, 200);

export const CONTENT_TYPES: Record<BlocklistFormat, string> = {
  json: 'application/json; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  rbldnsd: 'text/plain; charset=utf-8',
};

export function header(format: BlocklistFormat, now: Date, delistBase: string): string {
  if (format === 'json') return `{"generatedAt":${JSON.stringify(now.toISOString())},"listings":[`;
  if (format === 'text') return `# abuse-intake blocklist, generated ${now.toISOString()}\n`;
  // rbldnsd ip4set: the `:127.0.0.2:` line sets the default A record and TXT; `$` is the queried IP.
  return `# abuse-intake blocklist (rbldnsd ip4set), generated ${now.toISOString()}\n:127.0.0.2:Listed by abuse-intake; removal: ${txtSafe(delistBase)}/sender/delist?ip=$\n`;
}

/** One entry; `first` matters for JSON commas. Returns '' for what a format cannot hold (IPv6 in ip4set). */
export function line(format: BlocklistFormat, e: BlocklistEntry, first: boolean): string {
  if (format === 'json') {
    return `${first ? '' : ','}\n${JSON.stringify({ ip: e.ip, listedAt: e.listedAt.toISOString(), reasons: e.reasons })}`;
  }
  if (format === 'text') return `${e.ip}\n`;
  if (e.ip.includes(':')) return '';
  return `${e.ip} :127.0.0.2:${txtSafe(e.reasons.join('; ') || 'listed')}\n`;
}

export function footer(format: BlocklistFormat, count: number, skipped: number): string {
  if (format === 'json') return `\n],"count":${count}}\n`;
  const note = skipped ? `# ${skipped} IPv6 listings left out: ip4set holds IPv4 only\n` : '';
  return `${note}# ${count} listings\n`;
}
