/**
 * The process entry point: `node dist/cli/run.js <command>` runs the compiled build (npm run build;
 * what the Docker image runs), bin/abuse-intake.js runs the same from the TypeScript sources.
 */
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
