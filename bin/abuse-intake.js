#!/usr/bin/env node
// Runs the TypeScript sources through tsx's loader, so `npx abuse-intake` works
// straight after `npm ci` with no build step (rejected: a postinstall tsc build,
// which npm 11 skips for unapproved scripts and which leaves a stale dist/ behind).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
