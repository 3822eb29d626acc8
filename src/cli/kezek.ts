#!/usr/bin/env node
import { EXIT_USAGE } from './exit-codes.js';
import { runCli } from './program.js';

export { EXIT_USAGE };

// exitCode rather than exit(): output written to a pipe is flushed before the process ends.
runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
