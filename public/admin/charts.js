// @ts-check
// Small SVG charts for the operations page: stacked columns, lines, a ranked bar list.
// Built with createElementNS and textContent only: labels come from data (intent names) and
// are never parsed as markup. Colours are CSS custom properties, so dark mode just works.
import { clockTime, formatCount, labelIndexes, niceTicks } from "./chart-scale.js";

const SVG = "http://www.w3.org/2000/svg";
const MARGIN = { top: 26, right: 10, bottom: 24, left: 46 };

/** @typedef {{ key: string, label: string, color: string }} SeriesSpec */
/** @typedef {{ x: number, values: Record<string, number | null> }} Point */
/** @typedef {{ points: Point[], series: SeriesSpec[], format?: (value: number) => string, minMax?: number }} TimeChart */

/**
 * Stacked columns, one per time bucket (turns per minute, voice jobs per bucket).
 * @param {HTMLElement} container
 * @param {TimeChart} chart
 */
export function columnChart(container, chart) {
  const frame = newFrame(container, chart);
  if (!frame) return;
  const { svg, x, y, band } = frame;
  const width = Math.max(1, Math.min(28, band * 0.7));
  chart.points.forEach((point, i) => {
    let base = 0;
    const parts = chart.series.map((spec) => `${spec.label} ${format(chart, point.values[spec.key] ?? 0)}`);
    for (const spec of chart.series) {
      const value = point.values[spec.key] ?? 0;
      if (value <= 0) continue;
      const top = y(base + value);
      const rect = add(svg, "rect", { class: "bar", x: x(i) - width / 2, y: top, width, height: Math.max(1, y(base) - top), rx: 2, "data-hover": "" });
      rect.style.fill = spec.color;
      title(rect, `${clockTime(point.x)} — ${parts.join(", ")}`);
      base += value;
    }
  });
}

/**
 * Lines over time buckets; a null value (nothing measured) breaks the line.
 * @param {HTMLElement} container
 * @param {TimeChart} chart
 */
export function lineChart(container, chart) {
  const frame = newFrame(container, chart);
  if (!frame) return;
  const { svg, x, y } = frame;
  for (const spec of chart.series) {
    /** @type {string[]} */
    const segments = [];
    let pen = "M";
    chart.points.forEach((point, i) => {
      const value = point.values[spec.key];
      if (value === null || value === undefined) {
        pen = "M";
        return;
      }
      segments.push(`${pen}${x(i).toFixed(1)},${y(value).toFixed(1)}`);
      pen = "L";
      const dot = add(svg, "circle", { cx: x(i), cy: y(value), r: 2.6, "data-hover": "" });
      dot.style.fill = spec.color;
      title(dot, `${clockTime(point.x)} — ${spec.label} ${format(chart, value)}`);
    });
    const path = add(svg, "path", { class: "series-line", d: segments.join(" ") });
    path.style.stroke = spec.color;
    svg.insertBefore(path, svg.querySelector("circle"));
  }
}

/**
 * A list of horizontal bars, in the order given (intents by frequency, voice job statuses as
 * a funnel), the first `limit` of them; an item's own colour wins over the chart's.
 * @param {HTMLElement} container
 * @param {{ items: { label: string, value: number, color?: string }[], color: string, limit?: number }} chart
 */
export function barList(container, chart) {
  const { width, height } = sizeOf(container);
  const svg = newSvg(container, width, height);
  const items = chart.items.slice(0, chart.limit ?? 8);
  if (items.every((item) => item.value === 0)) return emptyNote(svg, width, height);
  const max = Math.max(...items.map((item) => item.value), 1);
  const labelWidth = Math.min(150, width * 0.34);
  const row = Math.min(28, (height - 8) / items.length);
  items.forEach((item, i) => {
    const top = 4 + i * row;
    const label = add(svg, "text", { class: "hbar-label", x: labelWidth - 8, y: top + row / 2 + 4, "text-anchor": "end" });
    label.textContent = truncate(item.label, 22);
    const barWidth = Math.max(2, ((width - labelWidth - 48) * item.value) / max);
    const bar = add(svg, "rect", { class: "bar", x: labelWidth, y: top + row * 0.18, width: barWidth, height: row * 0.64, rx: 3, "data-hover": "" });
    bar.style.fill = item.color ?? chart.color;
    title(bar, `${item.label}: ${item.value}`);
    const value = add(svg, "text", { class: "hbar-value", x: labelWidth + barWidth + 6, y: top + row / 2 + 4 });
    value.textContent = formatCount(item.value);
  });
}

/**
 * Clears the container and draws what every time chart shares: legend, y grid with labels,
 * x labels, and the scales. null when there is nothing to draw (an "empty" note instead).
 * @param {HTMLElement} container
 * @param {TimeChart} chart
 */
function newFrame(container, chart) {
  const { width, height } = sizeOf(container);
  const svg = newSvg(container, width, height);
  legend(svg, chart.series, width);
  const stacked = chart.points.map((point) => chart.series.reduce((sum, spec) => sum + Math.max(0, point.values[spec.key] ?? 0), 0));
  const highest = chart.points.flatMap((point) => chart.series.map((spec) => point.values[spec.key] ?? 0));
  const hasData = chart.points.some((point) => chart.series.some((spec) => (point.values[spec.key] ?? null) !== null && (point.values[spec.key] ?? 0) !== 0));
  if (chart.points.length === 0 || !hasData) {
    emptyNote(svg, width, height);
    return null;
  }
  const ticks = niceTicks(Math.max(chart.minMax ?? 0, ...stacked, ...highest));
  const top = ticks.at(-1) ?? 1;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const band = (width - MARGIN.left - MARGIN.right) / chart.points.length;
  /** @param {number} i */
  const x = (i) => MARGIN.left + band * (i + 0.5);
  /** @param {number} value */
  const y = (value) => MARGIN.top + plotHeight * (1 - value / top);
  const axis = add(svg, "g", { class: "axis" });
  for (const tick of ticks) {
    add(axis, "line", { class: tick === 0 ? "baseline" : "gridline", x1: MARGIN.left, x2: width - MARGIN.right, y1: y(tick), y2: y(tick) });
    const label = add(axis, "text", { x: MARGIN.left - 8, y: y(tick) + 4, "text-anchor": "end" });
    label.textContent = format(chart, tick);
  }
  for (const i of labelIndexes(chart.points.length, Math.max(2, Math.floor(width / 90)))) {
    const label = add(axis, "text", { x: x(i), y: height - 6, "text-anchor": "middle" });
    label.textContent = clockTime(chart.points[i]?.x ?? 0);
  }
  return { svg, x, y, band };
}

/**
 * @param {SVGElement} svg
 * @param {SeriesSpec[]} series
 * @param {number} width
 */
function legend(svg, series, width) {
  const group = add(svg, "g", { class: "legend" });
  let right = width - MARGIN.right;
  for (const spec of [...series].reverse()) {
    const label = add(group, "text", { x: right, y: 12, "text-anchor": "end" });
    label.textContent = spec.label;
    right -= spec.label.length * 6.2 + 8;
    const swatch = add(group, "rect", { x: right - 10, y: 3, width: 10, height: 10, rx: 2 });
    swatch.style.fill = spec.color;
    right -= 22;
  }
}

/** @param {HTMLElement} container */
function sizeOf(container) {
  return { width: Math.max(240, container.clientWidth || 600), height: Math.max(160, container.clientHeight || 230) };
}

/**
 * @param {HTMLElement} container
 * @param {number} width
 * @param {number} height
 */
function newSvg(container, width, height) {
  const svg = /** @type {SVGSVGElement} */ (document.createElementNS(SVG, "svg"));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  container.replaceChildren(svg);
  return svg;
}

/**
 * @param {SVGElement} svg
 * @param {number} width
 * @param {number} height
 */
function emptyNote(svg, width, height) {
  const note = add(svg, "text", { class: "empty", x: width / 2, y: height / 2, "text-anchor": "middle" });
  note.textContent = "No data in this window yet";
}

/**
 * @param {Element} parent
 * @param {string} tag
 * @param {Record<string, string | number>} attributes
 * @returns {SVGElement}
 */
function add(parent, tag, attributes) {
  const element = /** @type {SVGElement} */ (document.createElementNS(SVG, tag));
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  parent.append(element);
  return element;
}

/**
 * @param {SVGElement} element
 * @param {string} text
 */
function title(element, text) {
  add(element, "title", {}).textContent = text;
}

/**
 * @param {TimeChart} chart
 * @param {number} value
 */
function format(chart, value) {
  return (chart.format ?? formatCount)(value);
}

/**
 * @param {string} text
 * @param {number} max
 */
function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
