import { WorkstationError } from '../errors.ts'

// A draft must fit a known token budget, so every string needs a maxLength and every array a
// maxItems; the budget is the longest valid JSON the schema allows, counted pessimistically.

/** A character may take up to 4 byte-fallback tokens (UTF-8), more than any real vocabulary needs. */
const TOKENS_PER_CHARACTER = 4
/** Room for whitespace the grammar allows between JSON tokens, per value. */
const SLACK_PER_VALUE = 2

type Schema = Record<string, unknown>

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function unbounded(path: string, what: string): WorkstationError {
  return new WorkstationError('SCHEMA_UNBOUNDED', `${path || '(root)'}: ${what}`)
}

/** Characters of the longest JSON text a schema allows. Throws SCHEMA_UNBOUNDED where there is no limit. */
export function longestJsonLength(schema: unknown, path = ''): number {
  if (!isSchema(schema)) throw unbounded(path, 'not a schema object')
  if (Array.isArray(schema['enum'])) return Math.max(...schema['enum'].map((value) => JSON.stringify(value).length * 2))
  if ('const' in schema) return JSON.stringify(schema['const']).length * 2
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key]
    if (Array.isArray(options)) return Math.max(...options.map((option, i) => longestJsonLength(option, `${path}.${key}[${i}]`)))
  }
  const type = schema['type']
  if (Array.isArray(type)) return Math.max(...type.map((t) => longestJsonLength({ ...schema, type: t }, path)))
  switch (type) {
    case 'string': {
      const maxLength = schema['maxLength']
      if (typeof maxLength !== 'number' || !Number.isInteger(maxLength) || maxLength < 0) throw unbounded(path, 'a string without maxLength')
      // Quotes, and an escape (\n, \") may double a character.
      return 2 + maxLength * 2
    }
    case 'number':
    case 'integer':
      // The JSON grammar lets a number run to any number of digits and exponents: no budget holds.
      throw unbounded(path, 'a number (the grammar does not bound its digits); use an enum, or a string with maxLength')
    case 'boolean':
      return 5
    case 'null':
      return 4
    case 'array': {
      const maxItems = schema['maxItems']
      if (typeof maxItems !== 'number' || !Number.isInteger(maxItems) || maxItems < 0) throw unbounded(path, 'an array without maxItems')
      return 2 + maxItems * (longestJsonLength(schema['items'], `${path}[]`) + 1)
    }
    case 'object': {
      const properties = isSchema(schema['properties']) ? schema['properties'] : {}
      if (schema['additionalProperties'] !== undefined && schema['additionalProperties'] !== false)
        throw unbounded(path, 'an object open to additional properties')
      let length = 2
      for (const [key, value] of Object.entries(properties)) {
        length += JSON.stringify(key).length + 2 + longestJsonLength(value, `${path}.${key}`)
      }
      return length
    }
    default:
      throw unbounded(path, `type ${JSON.stringify(type)} has no known size`)
  }
}

/** How many tokens may be generated for a schema: the longest valid output, never less. */
export function structuredTokenBudget(schema: unknown): number {
  const characters = longestJsonLength(schema)
  return characters * TOKENS_PER_CHARACTER + countValues(schema) * SLACK_PER_VALUE + 16
}

function countValues(schema: unknown): number {
  if (!isSchema(schema)) return 1
  let count = 1
  if (isSchema(schema['properties'])) for (const value of Object.values(schema['properties'])) count += countValues(value)
  if (typeof schema['maxItems'] === 'number') count += schema['maxItems'] * countValues(schema['items'])
  return count
}
