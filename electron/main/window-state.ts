import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// The window opens where the clinician left it. A small JSON file in userData; a damaged or
// missing file just means the default size.

export interface WindowState {
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false }

export function readWindowState(userData: string): WindowState {
  try {
    const saved = JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8')) as Partial<WindowState>
    if (typeof saved.width !== 'number' || typeof saved.height !== 'number') return DEFAULT_STATE
    const state: WindowState = { width: Math.max(800, saved.width), height: Math.max(600, saved.height), maximized: saved.maximized === true }
    if (typeof saved.x === 'number' && typeof saved.y === 'number') Object.assign(state, { x: saved.x, y: saved.y })
    return state
  } catch {
    return DEFAULT_STATE
  }
}

export function writeWindowState(userData: string, state: WindowState): void {
  try {
    writeFileSync(join(userData, 'window-state.json'), JSON.stringify(state))
  } catch {
    // Not worth bothering a clinician about: next time the window opens at its default size.
  }
}
