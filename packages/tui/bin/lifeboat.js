#!/usr/bin/env node
// Checked before anything loads: the dependencies need Node 22.12 or newer, and their errors would not say so.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`lifeboat: Node ${process.versions.node} is too old; Lifeboat needs Node 22.12 or newer.\n`);
  process.exit(2);
}
// A backup streams gigabytes through short-lived chunk buffers, which V8 frees only at young-generation
// collections; left to grow, that generation lets ~80 MB of dead buffers pile up. A small one keeps peak memory
// down at no measurable cost in speed. V8 reads the flag only at start-up, so the process re-executes itself
// with it (execve: same pid, same stdio, signals unaffected) unless it was given already.
const SEMI_SPACE = '--max-semi-space-size=1';
const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((a) =>
  a.startsWith('--max-semi-space-size'),
);
if (!given && typeof process.execve === 'function' && process.platform !== 'win32') {
  try {
    process.execve(process.execPath, [process.execPath, SEMI_SPACE, ...process.execArgv, ...process.argv.slice(1)]);
  } catch {
    // Not allowed here (a sandbox, a read-only mount): run as is, only with a higher memory peak.
  }
}
// Start-up is mostly compiling ~450 modules; Node caches their bytecode on disk (in the temp folder) when asked.
// Every command, and every CLI call of a script or a test, starts faster from the second one on.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
await import('../dist/main.js');
