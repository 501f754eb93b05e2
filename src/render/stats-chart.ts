/** The /stats chart: papers per year stacked by category, Vega-Lite → Vega → SVG → PNG; a year with no paper is a gap. */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FONT_FAMILY, outlineText, svgToPng, textWidth, type FontWeight, type Png } from './font.js';
import { BACKGROUND, GRID, MUTED_TEXT, TEXT } from './theme.js';

/** What the chart shows. Plain data: the caller counts, the chart draws. */
export interface StatsChartInput {
  title: string;
  subtitle: string;
  /** Written in the bottom-right corner, e.g. "Corpus of 2026-12-04". */
  corner: string;
  /** Legend entries in the order they stack and are listed (most papers first reads best), each in its colour. */
  categories: ReadonlyArray<{ name: string; colour: string }>;
  /** Papers per year and category; a category not in `categories` is not drawn. */
  counts: ReadonlyArray<{ year: number; category: string; count: number }>;
}

/** The plot area, without axes, title and legend. */
const PLOT_WIDTH = 780;
const PLOT_HEIGHT = 340;
/** The longest legend label before Vega cuts it with "…" (two columns fit under the plot). */
const LEGEND_LABEL_MAX_PX = 400;

// Without a canvas Vega takes every character as 0.8 em (legends cut short): give its text metrics the font's widths.
(vega as unknown as { textMetrics: { width: (item: TextItem, text?: unknown) => number } }).textMetrics.width = (item, text) => {
  const value = text ?? item.text ?? '';
  const line = Array.isArray(value) ? value.map(String).join(' ') : String(value);
  return textWidth(line, item.fontSize ?? 11, item.fontWeight);
};

type TextItem = { text?: unknown; fontSize?: number; fontWeight?: FontWeight };

/** Renders the chart to a PNG. */
export async function renderStatsChart(input: StatsChartInput): Promise<Png> {
  return svgToPng(outlineText(await statsChartSvg(input)));
}

/** The chart as SVG text (Vega's own renderer, no DOM): the compiled Vega-Lite chart plus the corner text. */
export async function statsChartSvg(input: StatsChartInput): Promise<string> {
  const compiled = compile(statsChartSpec(input)).spec as vega.Spec;
  const corner: vega.TextMark = {
    type: 'text',
    encode: {
      update: {
        x: { signal: 'width' },
        y: { value: -20 },
        align: { value: 'right' },
        text: { value: input.corner },
        fill: { value: MUTED_TEXT },
        fontSize: { value: 15 },
        font: { value: FONT_FAMILY },
      },
    },
  };
  const view = new vega.View(vega.parse({ ...compiled, marks: [...(compiled.marks ?? []), corner] }), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The Vega-Lite spec. */
export function statsChartSpec(input: StatsChartInput): TopLevelSpec {
  const names = input.categories.map((category) => category.name);
  const known = new Set(names);
  const years = input.counts.map((c) => c.year);
  const first = Math.min(...years);
  const domain = Array.from({ length: Math.max(0, Math.max(...years) - first + 1) }, (_, i) => String(first + i));
  const values = input.counts
    .filter((c) => known.has(c.category) && c.count > 0)
    .map((c) => ({ year: String(c.year), category: c.category, count: c.count, order: names.indexOf(c.category) }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    background: BACKGROUND,
    padding: { left: 24, right: 24, top: 20, bottom: 16 },
    title: { text: input.title, subtitle: input.subtitle, anchor: 'start', fontSize: 24, subtitleFontSize: 16, color: TEXT, subtitleColor: MUTED_TEXT, offset: 16 },
    data: { values },
    mark: { type: 'bar', stroke: BACKGROUND, strokeWidth: 0.5 },
    encoding: {
      x: {
        field: 'year',
        type: 'ordinal',
        scale: { domain, paddingInner: 0.15 },
        axis: { title: 'Year', labelAngle: domain.length > 16 ? -45 : 0, labelOverlap: 'parity' },
      },
      y: {
        field: 'count',
        type: 'quantitative',
        aggregate: 'sum',
        stack: 'zero',
        axis: { title: 'Papers', tickMinStep: 1, format: 'd' },
      },
      color: {
        field: 'category',
        type: 'nominal',
        scale: { domain: names, range: input.categories.map((category) => category.colour) },
        legend: { title: null, orient: 'bottom', direction: 'horizontal', columns: 2, columnPadding: 28, labelLimit: LEGEND_LABEL_MAX_PX, symbolType: 'square', symbolSize: 220 },
      },
      order: { field: 'order', type: 'quantitative', sort: 'ascending' },
      tooltip: null,
    },
    config: {
      font: FONT_FAMILY,
      view: { stroke: null },
      axis: { labelFontSize: 15, titleFontSize: 16, labelColor: TEXT, titleColor: TEXT, gridColor: GRID, domainColor: MUTED_TEXT, tickColor: MUTED_TEXT, titlePadding: 10 },
      legend: { labelFontSize: 15, labelColor: TEXT, rowPadding: 8, offset: 18 },
    },
  };
}
