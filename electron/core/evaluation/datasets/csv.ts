// RFC 4180 CSV as pandas and Python's csv module write it: fields may be quoted, quotes doubled
// inside, and a quoted field may span lines. Each record says the line it starts on.

export type CsvRecord = { line: number; fields: string[] } | { line: number; error: string }

export function parseCsv(text: string, delimiter = ','): CsvRecord[] {
  const records: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  let line = 1
  let recordLine = 1
  let quoted = false
  let atFieldStart = true
  let i = 0
  const endRecord = () => {
    fields.push(field)
    // A blank line is no record.
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields })
    fields = []
    field = ''
    atFieldStart = true
  }
  while (i < text.length) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      if (c === '\n') line++
      field += c
      i++
      continue
    }
    if (c === '"' && atFieldStart) {
      quoted = true
      atFieldStart = false
      i++
      continue
    }
    if (c === delimiter) {
      fields.push(field)
      field = ''
      atFieldStart = true
      i++
      continue
    }
    if (c === '\r' && text[i + 1] === '\n') {
      i++
      continue
    }
    if (c === '\n') {
      endRecord()
      line++
      recordLine = line
      i++
      continue
    }
    field += c
    atFieldStart = false
    i++
  }
  if (quoted) {
    // An unclosed quote swallowed the rest of the file: nothing after it can be trusted as rows.
    records.push({ line: recordLine, error: 'a quoted field is never closed' })
    return records
  }
  if (field !== '' || fields.length > 0) endRecord()
  return records
}
