#!/usr/bin/env node
// `npm run build`: compiles the service to dist/ (tsc, relative .ts imports rewritten to .js) and
// copies the static files served from beside their modules, so dist/ mirrors the source tree
// (examples/ and the sample corpus are read from the package root: shared/package-root.ts).
// Starts from an empty dist/: nothing stale survives a rebuild.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ASSETS = ['api/web/static', 'api/web/i18n/locales', 'api/ui/static'];

rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = join(root, 'node_modules', '.bin', 'tsc');
const result = spawnSync(tsc, ['-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
for (const dir of ASSETS) cpSync(join(root, dir), join(root, 'dist', dir), { recursive: true });
console.log(`built dist/ (entry: node dist/cli/run.js)`);
