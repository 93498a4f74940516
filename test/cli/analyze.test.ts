import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { CORPUS_DIR } from '../helpers/corpus.ts';
import { CONTOSO_TENANCY_FILE } from '../analysis/attribute/helpers.ts';

const FIX = new URL('../fixtures/attribution/', import.meta.url).pathname;

/** Runs the real binary, as a user would; no database or Redis in its environment. */
function cli(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', REDIS_URL: 'redis://127.0.0.1:1' };
  delete env.TENANCY_FILE;
  return spawnSync(process.execPath, ['bin/abuse-intake.js', 'analyze', ...args], { encoding: 'utf8', env });
}
const lines = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; kind: string; reason?: string; reports: Record<string, unknown>[] });

describe('CLI: abuse-intake analyze', function () {
  this.timeout(60_000);

  // One spawn for all the JSON cases: each start of the binary loads the whole CLI through tsx.
  let out: ReturnType<typeof lines>;
  let status: number | null;
  before(() => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    writeFileSync(join(dir, 'empty.eml'), '');
    const r = cli(
      '--tenancy', CONTOSO_TENANCY_FILE,
      join(FIX, 'outbound-smtp.eml'), join(CORPUS_DIR, 'spam/spamassassin/001.eml'), join(FIX, 'several-attachments.eml'),
      join(CORPUS_DIR, 'dsn/sisimai/rfc3464-01.eml'), join(CORPUS_DIR, 'auto-reply/sisimai/rfc3834-01.eml'),
      join(dir, 'empty.eml'),
    );
    status = r.status;
    out = lines(r.stdout);
  });

  it('exits 0 with one JSON line per file, even for unusable input', () => {
    expect(status).to.equal(0);
    expect(out).to.have.length(6);
  });

  it('prints the contract shape', () => {
    const [a, b] = out;
    expect(a).to.deep.include({ file: join(FIX, 'outbound-smtp.eml'), kind: 'direct' });
    expect(a!.reports[0]).to.deep.include({
      direction: 'outbound', originatingIp: '203.0.113.7', relayIp: '40.107.244.101', viaPlatform: true,
      tenant: 'contoso', tenantConfidence: 'high', feedbackType: null, messageId: '<outbound-smtp-1@contoso.com>', conflict: false,
    });
    expect(a!.reports[0]!.evidence).to.be.an('array').that.is.not.empty;
    expect(b!.reports[0]).to.deep.include({ direction: 'foreign', relayIp: '193.120.211.219' });
  });

  it('gives one report per attached message', () => {
    expect(out[2]!.kind).to.equal('forward');
    expect(out[2]!.reports).to.have.length(2);
  });

  it('bounces and auto-replies: zero reports', () => {
    expect([out[3]!.kind, out[3]!.reports.length, out[4]!.kind, out[4]!.reports.length]).to.deep.equal(['dsn', 0, 'auto-reply', 0]);
  });

  it('an empty file is unusable input: kind empty, with the reason', () => {
    expect(out[5]).to.deep.include({ kind: 'empty', reports: [] });
    expect(out[5]!.reason).to.be.a('string').that.is.not.empty;
  });

  it('--explain prints the evidence trail as text', () => {
    const r = cli('--explain', '--tenancy', CONTOSO_TENANCY_FILE, join(FIX, 'forged-below.eml'));
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/forged-below\.eml: direct, 1 report/);
    expect(r.stdout).to.contain('foreign; relayIp 203.0.113.66');
    expect(r.stdout).to.match(/hop 0 \[foreign\.origin\]/);
    expect(r.stdout).to.not.match(/^\{/m);
  });

  it('--feedback-loop NAME analyses as over a channel bound to that loop: only then is an ARF Source-IP the relay', () => {
    const bound = cli('--tenancy', CONTOSO_TENANCY_FILE, '--feedback-loop', 'Example FBL', join(FIX, 'fbl-configured.eml'));
    const unbound = cli('--tenancy', CONTOSO_TENANCY_FILE, join(FIX, 'fbl-configured.eml'));
    expect(bound.status, bound.stderr).to.equal(0);
    expect(lines(bound.stdout)[0]!.reports[0]).to.deep.include({ relayIp: '40.107.55.5', viaPlatform: true });
    expect(lines(unbound.stdout)[0]!.reports[0]).to.deep.include({ relayIp: null });
  });

  describe('exit 2', () => {
    it('with a file that does not exist (a bad argument): stderr names it, the other files are still analysed', () => {
      const dir = mkdtempSync(join(tmpdir(), 'cli-'));
      const r = cli(join(FIX, 'low.eml'), join(dir, 'missing.eml'), join(FIX, 'medium.eml'));
      expect(r.status).to.equal(2);
      expect(r.stderr).to.contain(`cannot read ${join(dir, 'missing.eml')}: ENOENT`);
      expect(lines(r.stdout).map((l) => l.file)).to.deep.equal([join(FIX, 'low.eml'), join(FIX, 'medium.eml')]);
    });
    it('with a directory instead of a file', () => {
      const r = cli(FIX);
      expect(r.status).to.equal(2);
      expect(r.stderr).to.contain('EISDIR');
      expect(r.stdout).to.equal('');
    });
    it('with a --feedback-loop the tenancy does not have', () => {
      const r = cli('--tenancy', CONTOSO_TENANCY_FILE, '--feedback-loop', 'Nope FBL', join(FIX, 'fbl-configured.eml'));
      expect(r.status).to.equal(2);
      expect(r.stderr).to.contain('no feedback loop named "Nope FBL"');
    });
    it('with an unknown option', () => {
      const r = cli('--frobnicate', 'x.eml');
      expect(r.status).to.equal(2);
      expect(r.stderr).to.contain('frobnicate');
    });
    it('with a bad tenancy file, naming the field', () => {
      const dir = mkdtempSync(join(tmpdir(), 'cli-'));
      writeFileSync(join(dir, 't.yaml'), 'platform:\n  networks: ["300.1.1.0/24"]\n  hostnames: []\n');
      const r = cli('--tenancy', join(dir, 't.yaml'), join(FIX, 'low.eml'));
      expect(r.status).to.equal(2);
      expect(r.stderr).to.contain('platform.networks[0]');
      expect(r.stdout).to.equal('');
    });
  });
});
