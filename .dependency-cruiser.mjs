// DESIGN.md, "Imports run one way": main/host/cli → core → contract, renderer → contract, no cycles.
// `npm run depcheck` (part of `npm test`) fails on any rule below; tests/unit/dependency-rules.test.ts
// proves the rules fire on a fixture. Paths are relative to the repository root.

const shells = '^electron/(main|host|cli|preload)/'
const electronPackage = '(^|/)node_modules/electron/'

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle (type-only imports count too): move what both sides need into a lower module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-not-to-shells',
      severity: 'error',
      comment: 'electron/core is the workstation itself: the shells (main, host, cli, preload) import it, never the reverse.',
      from: { path: '^electron/core/' },
      to: { path: shells },
    },
    {
      name: 'core-not-to-electron',
      severity: 'error',
      comment: "electron/core runs under plain Node: it never imports 'electron'; the shell hands it what it needs.",
      from: { path: '^electron/core/' },
      to: { path: electronPackage },
    },
    {
      name: 'core-not-to-renderer',
      severity: 'error',
      comment: 'electron/core does not reach into the window; both sides meet in electron/contract.',
      from: { path: '^electron/core/' },
      to: { path: '^renderer/' },
    },
    {
      name: 'gguf-is-lower',
      severity: 'error',
      comment: 'electron/core/gguf reads and writes GGUF files for both models/ and inference/: it imports neither (only core/errors.ts).',
      from: { path: '^electron/core/gguf/' },
      to: { path: '^electron/core/', pathNot: '^electron/core/(gguf/|errors[.]ts$)' },
    },
    {
      name: 'inference-not-to-models',
      severity: 'error',
      comment:
        'models/ uses the inference runtime (inspecting a model); inference/ does not reach back into models/, or the two import each other again. Share what both need through a lower folder such as core/gguf.',
      from: { path: '^electron/core/inference/' },
      to: { path: '^electron/core/models/' },
    },
    {
      name: 'contract-not-to-node',
      severity: 'error',
      comment: 'electron/contract is loaded by main, preload, host and renderer: no Node built-ins.',
      from: { path: '^electron/contract/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'contract-not-to-electron',
      severity: 'error',
      comment: "electron/contract is loaded by the renderer too: no 'electron'.",
      from: { path: '^electron/contract/' },
      to: { path: electronPackage },
    },
    {
      name: 'contract-is-the-bottom',
      severity: 'error',
      comment: 'electron/contract is the lowest layer: it imports nothing from core or the shells.',
      from: { path: '^electron/contract/' },
      to: { path: '^(electron/(core|main|host|cli|preload)|renderer)/' },
    },
    {
      name: 'renderer-not-to-node',
      severity: 'error',
      comment: 'The renderer runs in the browser: no Node built-ins.',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-only-through-contract',
      severity: 'error',
      comment: "The renderer talks to the workstation only through electron/contract: not core, the shells or 'electron'.",
      from: { path: '^renderer/' },
      to: { path: [`^electron/(core|main|host|cli|preload)/`, electronPackage] },
    },
    {
      name: 'host-not-to-main',
      severity: 'error',
      comment: 'The browser host is a shell beside the Electron one, not above it: electron/host does not import electron/main.',
      from: { path: '^electron/host/' },
      to: { path: '^electron/main/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that cannot be resolved would hide its arrows from the rules above.',
      from: { path: '^(electron|renderer)/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports are arrows too: a cycle through `import type` is still a cycle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^tests/fixtures/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
