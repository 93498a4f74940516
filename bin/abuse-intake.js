#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader, so `npx abuse-intake` works
// straight after `npm ci` with no build step (rejected: a postinstall tsc build,
// which npm 11 skips for unapproved scripts and which leaves a stale dist/ behind).
// Production runs the compiled build instead: `npm run build`, `node dist/cli/run.js`.
import { register } from 'tsx/esm/api';

register();
await import('../cli/run.ts');
