// A module resolution hook: `electron` resolves to the recording stand-in, so the built main can
// run under plain Node (Electron itself cannot run on these machines).
const standIn = new URL('./electron-stand-in.ts', import.meta.url).href

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron' || specifier.startsWith('electron/')) return { url: standIn, shortCircuit: true }
  return nextResolve(specifier, context)
}
