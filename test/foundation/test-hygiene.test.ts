import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../shared/package-root.ts';

/**
 * The test suite's own guarantees (issue 12): mocha refuses `.only` with the project's configuration,
 * and a browser suite without Chromium fails under CI=true but is skipped, saying why, elsewhere.
 * Each runs a real mocha child on a small spec file.
 */
const MOCHA = join(PACKAGE_ROOT, 'node_modules/mocha/bin/mocha.js');

function mocha(args: string[], env: Record<string, string | undefined> = {}) {
  return spawnSync(process.execPath, [MOCHA, ...args], { cwd: PACKAGE_ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

describe('test hygiene', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hygiene-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('mocha, with the project\'s .mocharc.json, refuses a spec that uses .only', () => {
    const spec = join(dir, 'only.spec.mjs');
    writeFileSync(spec, `it.only('focused', () => {});\nit('other', () => {});\n`);
    const r = mocha([spec]); // the project's config (.mocharc.json in the cwd) applies
    expect(r.status, r.stdout + r.stderr).to.not.equal(0);
    expect(r.stdout + r.stderr).to.match(/\.only.*forbidden|forbid.*only/i);
  });

  describe('a browser suite when Chromium is missing', () => {
    let spec: string;
    before(() => {
      spec = join(dir, 'browser.spec.ts');
      writeFileSync(spec, [
        `import { launchBrowser } from ${JSON.stringify(join(PACKAGE_ROOT, 'test/helpers/browser.ts'))};`,
        `describe('needs a browser', () => {`,
        `  before(async function () { await launchBrowser(this); });`,
        `  it('uses it', () => {});`,
        `});`,
      ].join('\n'));
    });
    // No project config: the spec needs neither the database nor Redis.
    const run = (ci: string | undefined) => mocha(['--no-config', '--node-option', 'import=tsx', spec], { CHROMIUM_PATH: join(dir, 'no-chromium'), CI: ci });

    it('fails under CI=true, naming the missing browser', () => {
      const r = run('true');
      expect(r.status, r.stdout + r.stderr).to.not.equal(0);
      expect(r.stdout + r.stderr).to.include('Chromium not found');
    });

    it('is skipped with a message saying why elsewhere', () => {
      const r = run(undefined);
      expect(r.status, r.stdout + r.stderr).to.equal(0);
      expect(r.stdout + r.stderr).to.include('browser tests skipped: no Chromium');
      expect(r.stdout).to.match(/1 pending/);
    });
  });
});
