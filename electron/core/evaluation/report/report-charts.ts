import { escapeHtml } from '../../export/printable-html.ts'
import type { LengthBin } from './run-statistics.ts'

// Inline SVG charts: drawn here as text so the page needs no script and loads nothing. Every bar
// carries its number, so a black-and-white print still reads.

export interface ChartSeries {
  label: string
  /** A CSS class the stylesheet colours (run, huatuogpt, t5). */
  className: string
}

export interface ChartGroup {
  label: string
  /** One value per series, in the series' order; null where that series has no figure. */
  values: Array<number | null>
}

const width = 640

/** The smallest round number (1, 2, 2.5, 5 × 10^k) at or above `value`. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1
  const scale = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 2.5, 5, 10]) if (step * scale >= value - 1e-12) return step * scale
  return 10 * scale
}

/** Horizontal bars, one group per metric, the series side by side inside each group, on one shared scale (ticks at round steps). */
export function groupedBarChart(options: { title: string; groups: ChartGroup[]; series: ChartSeries[]; max: number; decimals: number }): string {
  const { groups, series, decimals } = options
  const tickStep = niceCeiling(Math.max(options.max, 1e-9) / 5)
  const max = Math.max(tickStep, Math.ceil(options.max / tickStep - 1e-9) * tickStep)
  const labelWidth = 92
  const valueRoom = 46
  const plotWidth = width - labelWidth - valueRoom
  const bar = 11
  const barGap = 2
  const groupGap = 9
  const top = 20
  const groupHeight = series.length * bar + (series.length - 1) * barGap
  const height = top + groups.length * (groupHeight + groupGap) - groupGap + 8
  const x = (value: number) => labelWidth + (plotWidth * value) / max
  const ticks = Array.from({ length: Math.round(max / tickStep) + 1 }, (_, index) => index * tickStep)
  const grid = ticks
    .map((tick) => `<line class="grid" x1="${x(tick).toFixed(1)}" y1="${top - 4}" x2="${x(tick).toFixed(1)}" y2="${height - 6}"/><text class="tick" x="${x(tick).toFixed(1)}" y="${top - 8}" text-anchor="middle">${formatTick(tick)}</text>`)
    .join('')
  const bars = groups
    .map((group, groupIndex) => {
      const groupTop = top + groupIndex * (groupHeight + groupGap)
      const label = `<text class="group-label" x="${labelWidth - 8}" y="${(groupTop + groupHeight / 2 + 4).toFixed(1)}" text-anchor="end">${escapeHtml(group.label)}</text>`
      const rects = series
        .map((s, index) => {
          const value = group.values[index] ?? null
          const y = groupTop + index * (bar + barGap)
          if (value === null) return ''
          const w = Math.max(0, x(Math.min(value, max)) - labelWidth)
          return `<rect class="bar ${s.className}" x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${bar}"><title>${escapeHtml(`${s.label}：${value.toFixed(decimals)}`)}</title></rect><text class="value" x="${(labelWidth + w + 4).toFixed(1)}" y="${y + bar - 2}">${value.toFixed(decimals)}</text>`
        })
        .join('')
      return label + rects
    })
    .join('')
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(options.title)}"><title>${escapeHtml(options.title)}</title>${grid}<line class="axis" x1="${labelWidth}" y1="${top - 4}" x2="${labelWidth}" y2="${height - 6}"/>${bars}</svg>`
}

/** The answer-length histogram: one bar per bin of characters, its count on top. */
export function lengthHistogram(options: { title: string; bins: LengthBin[]; xLabel: string; yLabel: string }): string {
  const { bins } = options
  const left = 46
  const right = 12
  const top = 14
  const plotHeight = 150
  const bottom = 44
  const height = top + plotHeight + bottom
  const plotWidth = width - left - right
  const maxCount = Math.max(1, ...bins.map((bin) => bin.count))
  const step = countStep(maxCount)
  const yMax = Math.ceil(maxCount / step) * step
  const y = (count: number) => top + plotHeight - (plotHeight * count) / yMax
  const slot = plotWidth / bins.length
  const labelEvery = Math.ceil(bins.length / 10)
  const yTicks = Array.from({ length: yMax / step + 1 }, (_, index) => index * step)
  const grid = yTicks
    .map((tick) => `<line class="grid" x1="${left}" y1="${y(tick).toFixed(1)}" x2="${width - right}" y2="${y(tick).toFixed(1)}"/><text class="tick" x="${left - 6}" y="${(y(tick) + 3.5).toFixed(1)}" text-anchor="end">${tick}</text>`)
    .join('')
  const bars = bins
    .map((bin, index) => {
      const x0 = left + index * slot
      const barTop = y(bin.count)
      const rect = bin.count === 0 ? '' : `<rect class="bar run" x="${(x0 + 1.5).toFixed(1)}" y="${barTop.toFixed(1)}" width="${Math.max(1, slot - 3).toFixed(1)}" height="${(top + plotHeight - barTop).toFixed(1)}"><title>${bin.from}–${bin.to - 1}：${bin.count}</title></rect><text class="value" x="${(x0 + slot / 2).toFixed(1)}" y="${(barTop - 3).toFixed(1)}" text-anchor="middle">${bin.count}</text>`
      const tick = index % labelEvery === 0 ? `<text class="tick" x="${x0.toFixed(1)}" y="${top + plotHeight + 14}" text-anchor="middle">${bin.from}</text>` : ''
      return rect + tick
    })
    .join('')
  const last = bins[bins.length - 1]
  const endTick = last ? `<text class="tick" x="${(left + plotWidth).toFixed(1)}" y="${top + plotHeight + 14}" text-anchor="middle">${last.to}</text>` : ''
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(options.title)}"><title>${escapeHtml(options.title)}</title>${grid}<line class="axis" x1="${left}" y1="${top + plotHeight}" x2="${width - right}" y2="${top + plotHeight}"/>${bars}${endTick}<text class="axis-label" x="${left + plotWidth / 2}" y="${height - 8}" text-anchor="middle">${escapeHtml(options.xLabel)}</text><text class="axis-label" transform="translate(12 ${top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(options.yLabel)}</text></svg>`
}

/** Whole answers on the axis: a step of 1, 2, 5, 10, 20, … giving at most five intervals. */
function countStep(max: number): number {
  for (let scale = 1; ; scale *= 10) for (const m of [1, 2, 5]) if (Math.ceil(max / (m * scale)) <= 5) return m * scale
}

function formatTick(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0+$/, '')
}
