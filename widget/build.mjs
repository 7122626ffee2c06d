// Bundles the chat widget (widget/index.ts) into public/widget.js: one minified IIFE that
// defines window.Parley. Run by `npm run build:widget`, and so by `npm test` and `npm run dev`.
//
//   node widget/build.mjs [--outfile <path>] [--sourcemap]

import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Browsers the widget supports: evergreen ones and Safari 15+ (Shadow DOM, ES2020). */
export const WIDGET_TARGETS = ["es2020", "chrome90", "firefox90", "safari15", "edge90"];

/**
 * @param {{ outfile?: string, sourcemap?: boolean }} [options]
 * @returns {Promise<string>} the path written
 */
export async function buildWidget(options = {}) {
  const outfile = resolve(options.outfile ?? resolve(root, "public/widget.js"));
  await build({
    entryPoints: [resolve(root, "widget/index.ts")],
    outfile,
    bundle: true,
    minify: true,
    format: "iife",
    platform: "browser",
    target: WIDGET_TARGETS,
    sourcemap: options.sourcemap ? "linked" : false,
    legalComments: "none",
    charset: "utf8",
    logLevel: "warning",
  });
  return outfile;
}

function argValue(name) {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outfile = await buildWidget({ outfile: argValue("--outfile"), sourcemap: process.argv.includes("--sourcemap") });
  console.log(`widget built: ${outfile}`);
}
