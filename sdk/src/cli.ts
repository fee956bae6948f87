#!/usr/bin/env node
// `edge-restore` executable (Node only). All logic lives in ./cli/ so tests can run it in-process.
import { main } from "./cli/main.js";

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
