import { expect } from 'chai';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../shared/package-root.ts';
import { configSchema } from '../../shared/config/config.schema.ts';
import { CHANNELS } from '../../shared/db/entities/submission.entity.ts';
import { ERROR_CODES } from '../../shared/errors/error-codes.ts';
import { COMMAND_NAMES, usage } from '../../cli/main.ts';
import { buildApp } from '../analyst/build-app.ts';
import { walkRoutes, type RouteEntry } from '../analyst/route-walk.ts';

/**
 * Issue 14, item 6: every name the docs give — environment variables, channels, CLI commands,
 * endpoints, error codes — is checked against the code, so a renamed thing cannot leave the docs behind.
 */
const DOCS = ['README.md', ...readdirSync(join(PACKAGE_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const text = new Map(DOCS.map((f) => [f, readFileSync(join(PACKAGE_ROOT, f), 'utf8')]));
const lines = () => [...text].flatMap(([file, t]) => t.split('\n').map((line, i) => ({ where: `${file}:${i + 1}`, line })));
const ticked = (line: string) => [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/** Variables that are not ours but the docs name on purpose. */
const FOREIGN_VARS = new Set(['NODE_OPTIONS', 'CI', 'CHROMIUM_PATH', 'TEST_DATABASE_BASE_URL']);

describe('names in the docs match the code', () => {
  const keys = Object.keys(configSchema.shape);

  it('every configuration variable is documented', () => {
    const all = [...text.values()].join('\n');
    expect(keys.filter((k) => !all.includes(`\`${k}\``))).to.deep.equal([]);
  });

  it('every variable in a configuration table exists (or is its _FILE form)', () => {
    const wrong: string[] = [];
    for (const { where, line } of lines()) {
      const first = /^\|([^|]+)\|/.exec(line)?.[1];
      if (!first) continue;
      for (const name of ticked(first).filter((t) => /^[A-Z][A-Z0-9_]{2,}$/.test(t))) {
        if (!keys.includes(name) && !keys.includes(name.replace(/_FILE$/, '')) && !FOREIGN_VARS.has(name) && !name.startsWith('BENCH_')) wrong.push(`${where}: ${name}`);
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it('channel names are the ones submissions.channel holds', () => {
    const wrong: string[] = [];
    for (const { where, line } of lines()) {
      // The filter row (`channel` | …values…) and "channel = X" phrases.
      const values = /^\|\s*`channel`\s*\|/.test(line) ? ticked(line).slice(1).filter((t) => /^[a-z]+$/.test(t)) : [...line.matchAll(/`channel = (\w+)`/g)].map((m) => m[1]!);
      for (const v of values) if (!(CHANNELS as readonly string[]).includes(v)) wrong.push(`${where}: ${v}`);
    }
    const intake = text.get('docs/intake.md')!.split('\n');
    const head = intake.findIndex((l) => l.includes('`submissions.channel`'));
    expect(head, 'the intake channel table').to.be.greaterThan(-1);
    for (let i = head + 2; intake[i]?.startsWith('|'); i++) {
      const v = ticked(intake[i]!.split('|').at(-2)!)[0];
      if (!v || !(CHANNELS as readonly string[]).includes(v)) wrong.push(`docs/intake.md:${i + 1}: ${v}`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it('every CLI command and sub-command named exists', () => {
    const subs = new Map<string, Set<string>>();
    for (const m of usage().matchAll(/\b(keys|users|tenancy) ([a-z][a-z-]+)/g)) (subs.get(m[1]!) ?? subs.set(m[1]!, new Set()).get(m[1]!)!).add(m[2]!);
    const wrong: string[] = [];
    for (const { where, line } of lines()) {
      for (const m of line.matchAll(/abuse-intake (?:<command>|([a-z][a-z-]*))(?: ([a-z][a-z-]+))?/g)) {
        const [cmd, sub] = [m[1], m[2]];
        if (!cmd || ['is', 'started', 'blocklist', 'demo', 'queues', 'analyst', 'api'].includes(cmd)) continue; // prose ("abuse-intake is…"), titles
        if (!COMMAND_NAMES.includes(cmd)) wrong.push(`${where}: abuse-intake ${cmd}`);
        else if (subs.has(cmd) && sub && !subs.get(cmd)!.has(sub)) wrong.push(`${where}: abuse-intake ${cmd} ${sub}`);
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it('every error code in docs/errors.md is a code, and every code is documented', () => {
    const table = text.get('docs/errors.md')!.split('\n').map((l) => /^\| `([a-z_]+)` \|/.exec(l)?.[1]).filter(Boolean) as string[];
    expect(new Set(table)).to.deep.equal(new Set(Object.keys(ERROR_CODES)));
  });

  describe('endpoints', () => {
    let routes: RouteEntry[];
    let close: () => Promise<void>;
    before(async () => {
      const built = await buildApp({ demo: true });
      routes = walkRoutes(built.app);
      close = built.close;
    });
    after(() => close());

    const pattern = (p: string) => new RegExp(`^${p.replace(/[.+?^$()[\]\\]/g, '\\$&').replace(/\{\/?\*[A-Za-z]+\}/g, '(/.*)?').replace(/:[A-Za-z]+/g, '[^/]+')}$`);
    const served = (method: string | null, path: string) => routes.some((r) => (!method || r.method === method) && pattern(r.path).test(path));

    it('every "METHOD /path" and every backticked path the docs give is served', () => {
      const wrong: string[] = [];
      const PREFIX = /^\/(v1|ui|report|delist|dev|login|logout|docs|openapi\.json|healthz|readyz|metrics|admin|sender|reporters)\b/;
      for (const { where, line } of lines()) {
        for (const m of line.matchAll(/\b((?:GET|POST|PUT|PATCH|DELETE)(?:\/(?:GET|POST))?) (\/[^\s`|,)]*)/g)) {
          const path = m[2]!.split('?')[0]!.replace(/…$/, '');
          if (path.endsWith('/') && path.length > 1) continue;
          for (const method of m[1]!.split('/')) if (!served(method, path) && !routes.some((r) => r.method === method && r.path.startsWith(path) && m[2]!.endsWith('…'))) wrong.push(`${where}: ${method} ${path}`);
        }
        for (const t of ticked(line)) {
          const path = t.split(/[?\s]/)[0]!;
          if (!PREFIX.test(path) || path.includes('…') || path.includes('<') || path.includes('*')) continue;
          // A mount (Bull Board at /admin/queues) serves the paths below it.
          if (!served(null, path) && !served(null, path.replace(/\/$/, '')) && !routes.some((r) => r.path.startsWith(`${path}/`))) wrong.push(`${where}: ${path}`);
        }
      }
      expect(wrong).to.deep.equal([]);
    });
  });
});
