#!/usr/bin/env node
// The `huatuo` command. Node 24 runs the TypeScript sources directly (type stripping), so the
// command works right after `npm install`, with no build step.
const { main } = await import('../electron/cli/huatuo.ts')
process.exitCode = await main(process.argv.slice(2))
