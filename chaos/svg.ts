/**
 * A small line chart as standalone SVG: the soak's p99 and the runtime's memory, minute by
 * minute, for docs/reliability.md. Pure, so the picture is tested, not eyeballed.
 */

export interface Series {
  name: string;
  unit: string;
  color: string;
  /** one value per minute; NaN for a minute without one */
  values: readonly number[];
}

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { left: 50, right: 50, top: 24, bottom: 30 };

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Series on one time axis (minutes): the first scaled on the left axis, the others on the right,
 * sharing its scale (they must share a unit), each labelled in its colour.
 *
 * @example
 * lineChart("soak", { name: "p99", unit: "ms", color: "#c00", values: [10, 12] }, { name: "RSS", unit: "MiB", color: "#06c", values: [100, 110] });
 */
export function lineChart(title: string, left: Series, ...right: Series[]): string {
  const minutes = Math.max(left.values.length, ...right.map((series) => series.values.length), 2);
  const x = (i: number) => PAD.left + (i * (WIDTH - PAD.left - PAD.right)) / (minutes - 1);
  const rightMax = scaleOf(right.flatMap((series) => series.values));
  const names = [left, ...right].map((series) => `${escapeXml(series.name)} (${escapeXml(series.unit)})`).join(", ");
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11" role="img">`,
    `<title>${escapeXml(title)}: ${names} per minute</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="14" text-anchor="middle" font-size="12">${escapeXml(title)}</text>`,
    `<line x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}" stroke="#888"/>`,
    `<text x="${WIDTH / 2}" y="${HEIGHT - 6}" text-anchor="middle">minute</text>`,
  ];
  const step = Math.ceil(minutes / 30);
  for (let i = 0; i < minutes; i += step) parts.push(`<text x="${x(i).toFixed(1)}" y="${HEIGHT - PAD.bottom + 12}" text-anchor="middle">${i + 1}</text>`);
  parts.push(...seriesPath(left, x, scaleOf(left.values), "left", 0));
  right.forEach((series, i) => parts.push(...seriesPath(series, x, rightMax, "right", i)));
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/** The top of an axis: 10 % above the largest value. */
function scaleOf(values: readonly number[]): number {
  return Math.max(1, ...values.filter(Number.isFinite)) * 1.1;
}

function seriesPath(series: Series, x: (i: number) => number, max: number, side: "left" | "right", index: number): string[] {
  const y = (v: number) => HEIGHT - PAD.bottom - (v / max) * (HEIGHT - PAD.top - PAD.bottom);
  const points = series.values.flatMap((v, i) => (Number.isFinite(v) ? [`${x(i).toFixed(1)},${y(v).toFixed(1)}`] : []));
  const axisX = side === "left" ? PAD.left - 4 : WIDTH - PAD.right + 4;
  const anchor = side === "left" ? "end" : "start";
  const label = `${series.name} (${series.unit})`;
  const labelAt = side === "left" ? `x="${axisX}" y="${PAD.top - 4}"` : `x="${WIDTH - PAD.right}" y="${PAD.top + 10 + index * 12}" text-anchor="end"`;
  return [
    `<polyline fill="none" stroke="${series.color}" stroke-width="2" points="${points.join(" ")}"/>`,
    ...(index === 0
      ? [
          `<text x="${axisX}" y="${y(max / 1.1).toFixed(1)}" text-anchor="${anchor}" fill="${series.color}">${Math.round(max / 1.1)}</text>`,
          `<text x="${axisX}" y="${HEIGHT - PAD.bottom}" text-anchor="${anchor}" fill="${series.color}">0</text>`,
        ]
      : []),
    `<text ${labelAt}${side === "left" ? ` text-anchor="${anchor}"` : ""} fill="${series.color}">${escapeXml(label)}</text>`,
  ];
}
