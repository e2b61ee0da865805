#!/usr/bin/env node
// The `huatuo` command. Node 24 runs the TypeScript sources directly (type stripping), so the
// command works right after `npm install`, with no build step.

// `npm run huatuo -- …` runs scripts in the project folder; a path the user typed (`--db records.db`)
// means the folder they typed it in, which npm passes as INIT_CWD.
if (process.env.npm_lifecycle_event === 'huatuo' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD)

const { main } = await import('../electron/cli/huatuo.ts')
process.exitCode = await main(process.argv.slice(2))
