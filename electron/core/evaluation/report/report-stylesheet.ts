// The report's look: the printable record's (serif body, black-face labels, rules rather than boxes),
// an A4 sheet on screen, and A4 pages in print with the page number and the run's name in the margin.

const serif = `"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "NSimSun", serif`
const sans = `"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimHei", sans-serif`

export function reportStylesheet(runningHeader: string): string {
  return `
@page {
  size: A4;
  margin: 18mm 16mm 18mm 16mm;
  @top-left { content: ${runningHeader}; font: 8pt ${sans}; color: #444; vertical-align: bottom; padding-bottom: 3mm; }
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页 · Page " counter(page) " of " counter(pages); font: 8pt ${serif}; color: #333; }
}
@page :first { @top-left { content: none; } }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: ${serif}; font-size: 10.5pt; line-height: 1.6; color: #000; }
h1, h2, h3, th, .label, .chart, .legend, .badge, summary, .figure-note { font-family: ${sans}; }
.en { color: #444; font-size: 0.88em; }
span.en::before { content: " / "; color: #888; }
header.report { text-align: center; border-bottom: 1.5pt solid #000; padding-bottom: 3mm; margin-bottom: 4mm; }
header.report h1 { font-size: 17pt; letter-spacing: 0.2em; margin: 0; }
header.report .en-title { font-family: ${sans}; font-size: 11pt; letter-spacing: 0.05em; color: #333; margin-top: 0.5mm; }
header.report .subject { margin-top: 2mm; font-size: 10pt; }
h2 { font-size: 12pt; margin: 7mm 0 2mm; padding-bottom: 1mm; border-bottom: 0.75pt solid #000; break-after: avoid; }
h2 .en { font-weight: 400; }
h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
p { margin: 1.5mm 0; }
.summary { display: grid; grid-template-columns: repeat(4, 1fr); border: 0.75pt solid #000; margin: 0 0 2mm; }
.summary div { padding: 2mm 3mm; border-left: 0.5pt solid #999; }
.summary div:first-child { border-left: none; }
.summary .figure { font-family: ${sans}; font-size: 14pt; font-weight: 700; line-height: 1.3; }
.summary .label { font-size: 8.5pt; color: #333; display: block; }
.notice { border-left: 3pt solid #7a5a00; background: #fbf6e6; padding: 2mm 3mm; margin: 2mm 0; break-inside: avoid; }
.notice p { margin: 0.5mm 0; }
.notice.reading { border-left-color: #1f4e79; background: #eef3f9; font-size: 9.5pt; }
.notice.warning { border-left-color: #b00000; background: #fcefef; }
table { width: 100%; border-collapse: collapse; margin: 1.5mm 0 2mm; }
table.facts td { padding: 1mm 2mm 1mm 0; vertical-align: top; border-bottom: 0.4pt solid #ccc; }
table.facts td.label { width: 38mm; white-space: nowrap; font-weight: 500; }
table.facts td .mono, .mono { font-family: "DejaVu Sans Mono", "Noto Sans Mono", Consolas, monospace; font-size: 0.86em; overflow-wrap: anywhere; }
table.metrics { border-top: 1.5pt solid #000; border-bottom: 1.5pt solid #000; }
table.metrics th { font-weight: 700; text-align: right; padding: 1.2mm 2mm; border-bottom: 0.75pt solid #000; vertical-align: bottom; line-height: 1.3; }
table.metrics th:first-child, table.metrics td:first-child { text-align: left; }
table.metrics th .en { display: block; font-weight: 400; }
table.metrics th .en::before { content: none; }
table.metrics td:first-child { white-space: nowrap; }
table.metrics.narrow { width: 60%; }
.hash { white-space: nowrap; font-size: 0.85em; color: #333; }
.hash .mono { font-size: 0.95em; }
table.metrics td { text-align: right; padding: 0.9mm 2mm; border-bottom: 0.4pt solid #ddd; font-variant-numeric: tabular-nums; }
table.metrics td.this-run { font-weight: 700; background: #eef3f9; }
table.metrics td.none { color: #888; }
table.metrics tr.group-start td { border-top: 0.75pt solid #888; }
.figure-note { font-size: 8.5pt; color: #333; }
.legend { display: flex; gap: 1mm 6mm; font-size: 8.5pt; margin: 1mm 0; flex-wrap: wrap; }
.legend span::before { content: ""; display: inline-block; width: 3.2mm; height: 3.2mm; margin-right: 1.5mm; vertical-align: -0.4mm; }
.legend .run::before { background: #1f4e79; }
.legend .huatuogpt::before { background: #7fa7cf; }
.legend .t5::before { background: #c4c4c4; }
.chart-block { break-inside: avoid; }
.chart { display: block; margin: 1mm 0 3mm; font-size: 10px; break-inside: avoid; }
.chart .bar.run { fill: #1f4e79; }
.chart .bar.huatuogpt { fill: #7fa7cf; }
.chart .bar.t5 { fill: #c4c4c4; }
.chart .grid { stroke: #e2e2e2; stroke-width: 1; }
.chart .axis { stroke: #000; stroke-width: 1; }
.chart .tick { fill: #555; font-size: 9px; }
.chart .value { fill: #000; font-size: 9px; }
.chart .group-label { fill: #000; font-size: 10.5px; font-weight: 700; }
.chart .axis-label { fill: #333; font-size: 10px; }
ul.skipped { margin: 1mm 0; padding-left: 5mm; font-size: 9pt; }
article.item { border-top: 0.75pt solid #000; padding: 1.5mm 0 2mm; break-inside: avoid; }
article.item header { display: flex; justify-content: space-between; align-items: baseline; gap: 4mm; font-family: ${sans}; font-size: 9pt; margin-bottom: 1mm; }
article.item header .rank { font-weight: 700; }
article.item header .scores { white-space: nowrap; }
.side-by-side { display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 3mm; }
.side-by-side .column { min-width: 0; }
.side-by-side .label { font-size: 8.5pt; font-weight: 700; display: block; border-bottom: 0.4pt solid #999; margin-bottom: 1mm; }
.side-by-side .text { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 9.5pt; line-height: 1.5; }
.side-by-side .text.empty { color: #777; }
.side-by-side .reference + .reference { margin-top: 1.5mm; padding-top: 1mm; border-top: 0.4pt dashed #aaa; }
details { margin-top: 1mm; font-size: 9pt; }
summary { cursor: pointer; color: #1f4e79; font-size: 8.5pt; }
details .text { margin-top: 1mm; }
dl.definitions { margin: 1mm 0; }
dl.definitions dt { font-family: ${sans}; font-weight: 700; margin-top: 2mm; break-after: avoid; }
dl.definitions dd { margin: 0.5mm 0 0 0; }
dl.definitions dd p { margin: 0.5mm 0; }
ol.limits { padding-left: 5mm; margin: 1mm 0; }
ol.limits li { margin: 1.5mm 0; break-inside: avoid; }
ol.limits li p { margin: 0.3mm 0; }
footer.report { margin-top: 7mm; padding-top: 1.5mm; border-top: 0.5pt solid #666; font-size: 8pt; color: #333; line-height: 1.5; }
footer.report p { margin: 0.5mm 0; }
@media screen {
  html { background: #e7eaee; }
  body { width: 210mm; margin: 6mm auto; padding: 18mm 16mm; background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25); }
}
@media print {
  summary { display: none; }
  .screen-only { display: none; }
}
`
}
