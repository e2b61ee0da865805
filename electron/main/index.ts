// Electron main's entry. `electron` enters the shell through this one import, so a test can run
// the built main under Node with a stand-in in its place.
import * as electron from 'electron'
import { startShell } from './shell.ts'

void startShell(electron)
