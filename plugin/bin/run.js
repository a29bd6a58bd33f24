#!/usr/bin/env node
// Runs the plugin's commands without an installed sf: ./plugin/bin/run.js cpq price --scenario FILE
import { execute } from '@oclif/core';

// oclif ends a failed command with process.exit(code) as soon as the error is written. To a pipe (`| jq`, a
// parent process reading the output) Node writes asynchronously, so process.exit cut the `--json` error at the
// pipe's 64 KiB. Exit only once stdout and stderr have passed on everything written before.
const exitNow = process.exit.bind(process);
let exiting = false;
process.exit = (code) => {
  if (code !== undefined && code !== null) process.exitCode = code;
  if (exiting) return undefined;
  exiting = true;
  let pending = 2;
  const flushed = () => {
    if (--pending === 0) exitNow();
  };
  process.stdout.write('', flushed);
  process.stderr.write('', flushed);
  return undefined;
};

await execute({ dir: import.meta.url });
