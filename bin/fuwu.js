#!/usr/bin/env node
// The `fuwu` command: runs src/cli.ts through tsx, so the TypeScript sources are the program.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
