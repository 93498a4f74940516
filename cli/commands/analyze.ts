import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzeSubmission } from '../../shared/analysis/analyze.ts';
import type { Analysis, AnalyzedReport } from '../../shared/analysis/types.ts';
import { quote } from '../../shared/analysis/attribute/evidence.ts';
import { compileTenancy, EMPTY_COMPILED_TENANCY } from '../../shared/tenancy/compile-tenancy.ts';
import { loadTenancyFile } from '../../shared/tenancy/parse-tenancy.ts';
import { DEMO_TENANCY_FILE } from '../../shared/tenancy/seed-demo-tenancy.ts';
import { badArgs } from '../main.ts';

const USAGE = 'usage: analyze [--tenancy FILE | --no-tenancy] [--feedback-loop NAME] [--explain] FILE...';

/**
 * Which tenancy the offline analysis uses, so that it answers as the service does: `--tenancy FILE`;
 * else `TENANCY_FILE` (the service's own setting); else the demo tenancy that `npm start` imports,
 * with a one-line note on stderr (stdout stays one JSON object per line). `--no-tenancy`: none at all
 * (every address is foreign). Not read from the database: analyze needs neither Postgres nor Redis.
 */
export function chooseTenancy(values: { tenancy?: string; 'no-tenancy'?: boolean }, env: NodeJS.ProcessEnv): { file: string | null; note: string | null } {
  if (values['no-tenancy']) {
    if (values.tenancy) throw badArgs(`--tenancy and --no-tenancy exclude each other\n${USAGE}`);
    return { file: null, note: null };
  }
  if (values.tenancy) return { file: values.tenancy, note: null };
  if (env.TENANCY_FILE) return { file: env.TENANCY_FILE, note: null };
  return {
    file: DEMO_TENANCY_FILE,
    note: 'analyze: no --tenancy and no TENANCY_FILE: using the demo tenancy (examples/demo-tenancy.yaml, what npm start imports); --no-tenancy for none',
  };
}

/**
 * `analyze [--tenancy FILE | --no-tenancy] [--explain] FILE...` (CLI contract, ARCHITECTURE.md): one
 * JSON object per readable input file per line, no database or Redis. Exit 0 even for unusable content
 * (the JSON says why); exit 2 on bad arguments — a file that cannot be read among them — or a bad
 * tenancy file. `--explain` prints the evidence trail as text.
 * `--feedback-loop NAME` analyses the files as if they came over a channel bound to that loop of the
 * tenancy (a feed key or the loop's source network), so an ARF Source-IP anchors the walk.
 */
export async function analyzeCommand(args: string[]): Promise<number> {
  let values: { tenancy?: string; 'no-tenancy'?: boolean; explain?: boolean; 'feedback-loop'?: string };
  let files: string[];
  try {
    const parsed = parseArgs({
      args, options: { tenancy: { type: 'string' }, 'no-tenancy': { type: 'boolean' }, explain: { type: 'boolean' }, 'feedback-loop': { type: 'string' } }, allowPositionals: true,
    });
    values = parsed.values;
    files = parsed.positionals;
  } catch (err) {
    throw badArgs(`${(err as Error).message}\n${USAGE}`);
  }
  if (files.length === 0) throw badArgs(`name at least one file\n${USAGE}`);
  const chosen = chooseTenancy(values, process.env);
  if (chosen.note) process.stderr.write(`${chosen.note}\n`);
  const tenancy = chosen.file ? compileTenancy(loadTenancyFile(chosen.file)) : EMPTY_COMPILED_TENANCY;
  const feedbackLoop = values['feedback-loop'] ?? null;
  if (feedbackLoop !== null && !tenancy.feedbackLoopNames.has(feedbackLoop)) {
    throw badArgs(`--feedback-loop: the tenancy has no feedback loop named ${JSON.stringify(feedbackLoop)}\n${USAGE}`);
  }

  // A file that cannot be read (missing, a directory, no permission) is a bad argument, not unusable
  // input: it gets no JSON line, stderr names it, the other files are still analysed, and the exit
  // status is 2 — so a script or CI step that names a wrong path fails instead of printing "empty".
  const unreadable: string[] = [];
  for (const file of files) {
    let raw: Buffer;
    try {
      raw = readFileSync(file);
    } catch (err) {
      unreadable.push(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      continue;
    }
    const analysis = await analyzeSubmission(raw, tenancy, { feedbackLoop });
    process.stdout.write(values.explain ? explain(file, analysis) : `${JSON.stringify(toJson(file, analysis))}\n`);
  }
  if (unreadable.length) throw badArgs(unreadable.join('\n'));
  return 0;
}

function reportJson(r: AnalyzedReport) {
  return {
    direction: r.direction,
    originatingIp: r.originatingIp,
    relayIp: r.relayIp,
    viaPlatform: r.viaPlatform,
    tenant: r.tenant,
    tenantConfidence: r.tenantConfidence,
    recipientTenant: r.recipientTenant,
    feedbackType: r.feedbackType,
    messageId: r.messageId,
    conflict: r.conflict,
    decidingHop: r.decidingHop,
    sendingDomain: r.sendingDomain,
    reporter: r.reporter,
    from: r.from,
    subject: r.subject,
    evidence: r.evidence,
    content: r.content ?? null,
  };
}

export function toJson(file: string, a: Analysis) {
  return { file, kind: a.kind, ...(a.reports.length ? {} : { reason: a.reason }), reports: a.reports.map(reportJson) };
}

/** The readable form: a summary line per report, then its evidence trail, indented. */
export function explain(file: string, a: Analysis): string {
  const out = [`${quote(file, 500)}: ${a.kind}, ${a.reports.length} report${a.reports.length === 1 ? '' : 's'}${a.reports.length ? '' : ` (${quote(a.reason, 300)})`}`];
  a.reports.forEach((r, i) => {
    out.push(`  report ${i + 1}: ${quote(r.subject)} from ${quote(r.from)}`);
    out.push(`    ${r.direction}${r.viaPlatform ? ' via the platform' : ''}; relayIp ${r.relayIp ?? '-'}; originatingIp ${r.originatingIp ?? '-'}; ` +
      `tenant ${r.tenant ? `${r.tenant} (${r.tenantConfidence}${r.conflict ? ', conflict' : ''})` : '-'}${r.feedbackType ? `; feedback ${quote(r.feedbackType)}` : ''}`);
    for (const line of r.evidence) out.push(`      ${line}`);
  });
  return `${out.join('\n')}\n\n`;
}
