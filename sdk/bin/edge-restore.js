#!/usr/bin/env node
// Committed launcher: npm links workspace bins at install time, before `prepare` has built dist/.
import "../dist/cli.js";
