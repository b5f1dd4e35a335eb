#!/usr/bin/env node
// Plain JavaScript on purpose: this file must run on any Node.js to say which one we need.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `Masthead needs Node.js 22.18 or newer (24 LTS recommended); this is ${process.version}.\n` +
      'Run it through npm (npm start, npm run masthead -- <command>), which uses the Node 24 pinned in package.json,\n' +
      'or install Node.js 24 LTS.',
  );
  process.exit(1);
}
// Keep compiled code, type stripping included, in Node's on-disk compile cache (by default
// under the OS temp directory; NODE_COMPILE_CACHE=dir moves it, NODE_DISABLE_COMPILE_CACHE=1
// turns it off). Every start after the first then skips most parsing and compiling: about
// half the time to the first page (docs/decisions/008-performance.md).
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
// A worker process serves no reader, so it trades speed for memory: V8's small-heap mode
// kept a 100,000-reader send at about 165 MB instead of over 300 (ADR 014). Web processes
// keep the default, which serves pages faster (ADR 008). --no-optimize-for-size opts out.
const nodeFlags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
if (
  process.argv[2] === 'worker' &&
  !nodeFlags.some((f) => f === '--optimize-for-size' || f === '--no-optimize-for-size')
) {
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--optimize-for-size');
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
