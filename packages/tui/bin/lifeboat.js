#!/usr/bin/env node
// Checked before anything loads: the dependencies need Node 22.12 or newer, and their errors would not say so.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`lifeboat: Node ${process.versions.node} is too old; Lifeboat needs Node 22.12 or newer.\n`);
  process.exit(2);
}
await import('../dist/main.js');
