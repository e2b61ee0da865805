import { dirname, resolve } from 'node:path'
import { WorkstationError } from '../../errors.ts'

// Downloaded files are named by the workstation, never by the server: from the catalog entry, or
// from the last segment of the address the user gave, checked here. A name that is not a plain file
// name is refused rather than "repaired", so the file in the library is the one the user asked for.

/** Bytes, not characters: file systems limit names to 255 bytes, and `.part.json` is added while downloading. */
const LONGEST_NAME_BYTES = 200

/** Characters Windows forbids in a file name (and separators everywhere). */
const FORBIDDEN_CHARACTERS = /[<>:"/\\|?*]/
/** C0 and C1 control characters, DEL, and Unicode line/paragraph separators and bidirectional overrides. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/
/** Names Windows reserves for devices, with any extension (NUL.gguf opens the null device). */
const RESERVED_WINDOWS_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i

/**
 * `name` if it is a safe name for a model file in the models folder: no separator (after
 * percent-decoding, which the caller has done), no `..`, no control characters, not hidden, not a
 * Windows device name, at most 200 bytes, ending in `.gguf`. Otherwise DOWNLOAD_NAME_UNSAFE.
 */
export function safeModelFileName(name: string, where: string): string {
  const problem =
    name.length === 0
      ? 'empty'
      : FORBIDDEN_CHARACTERS.test(name)
        ? 'a path separator or a character Windows forbids'
        : name.includes('..')
          ? '".."'
          : CONTROL_CHARACTERS.test(name)
            ? 'a control character'
            : name.startsWith('.') || name.startsWith(' ')
              ? 'hidden (a leading dot or space)'
              : /[. ]$/.test(name)
                ? 'a trailing dot or space'
                : RESERVED_WINDOWS_NAMES.test(name)
                  ? 'a Windows device name'
                  : Buffer.byteLength(name, 'utf8') > LONGEST_NAME_BYTES
                    ? `longer than ${LONGEST_NAME_BYTES} bytes`
                    : name.normalize('NFC') !== name
                      ? 'not in Unicode normal form'
                      : !/\.gguf$/i.test(name)
                        ? 'not a .gguf file'
                        : null
  if (problem !== null) throw new WorkstationError('DOWNLOAD_NAME_UNSAFE', `${where}: the file name is ${problem}`)
  return name
}

/**
 * The file name from the last segment of a download address, percent-decoded and checked. A name
 * that only decodes to something unsafe (`%2E%2E%2F…`) is refused like a plain one.
 */
export function fileNameFromUrl(url: URL): string {
  const segment = url.pathname.slice(url.pathname.lastIndexOf('/') + 1)
  let name: string
  try {
    name = decodeURIComponent(segment)
  } catch {
    throw new WorkstationError('DOWNLOAD_NAME_UNSAFE', `${url.host}: the file name is not valid percent-encoding`)
  }
  return name
}

/**
 * The path of `name` directly inside `folder`, after checking that it resolves there: the last guard
 * before anything is written, whatever the name's origin.
 */
export function pathInside(folder: string, name: string): string {
  const base = resolve(folder)
  const target = resolve(base, name)
  if (dirname(target) !== base) throw new WorkstationError('DOWNLOAD_NAME_UNSAFE', `${name.slice(0, 80)} would be written outside ${base}`)
  return target
}
