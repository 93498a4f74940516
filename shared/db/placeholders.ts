/** `($1,$2,$3),($4,$5,$6)…` for a multi-row insert. */
export function placeholders(rows: number, cols: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 1; c <= cols; c++) cells.push(`$${r * cols + c}`);
    out.push(`(${cells.join(',')})`);
  }
  return out.join(',');
}
