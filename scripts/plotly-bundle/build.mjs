// Bundles plotly.js core and the given trace types into one minified script that defines `Plotly`.
//   node build.mjs OUTFILE TRACE...
// Run by scripts/build_plotly_bundle.py in a scratch folder where `npm ci` installed package-lock.json.
import { readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { parse } from "acorn";
import { build } from "esbuild";
import { minify } from "terser";

const require = createRequire(import.meta.url);
const [outfile, ...traces] = process.argv.slice(2);
if (!outfile || traces.length === 0) {
  console.error("usage: node build.mjs OUTFILE TRACE...");
  process.exit(2);
}
const lib = require.resolve("plotly.js/lib/core").replace(/core\.js$/, "");
for (const trace of traces) {
  if (!existsSync(`${lib}${trace}.js`)) {
    console.error(`error: plotly.js has no trace type ${JSON.stringify(trace)} (no lib/${trace}.js)`);
    process.exit(2);
  }
}

// Attribute docs and schema meta: only Plotly.PlotSchema reads them, no chart does. plotly.js's own
// dist bundles leave them out the same way; here the properties are found by parsing, not by pattern.
const META = new Set(["description", "hrName", "requiredOpts", "otherOpts"]);

function metaRanges(node, source, ranges) {
  if (node.type === "ObjectExpression") {
    node.properties.forEach((prop, i) => {
      const key = prop.type === "Property" && !prop.computed && (prop.key.name ?? prop.key.value);
      if (META.has(key)) {
        const next = node.properties[i + 1];
        // The last property may have a trailing comma: it goes too (the one before it then trails).
        ranges.push([prop.start, next ? next.start : prop.end + (/^\s*,/.exec(source.slice(prop.end))?.[0].length ?? 0)]);
      }
    });
  }
  for (const value of Object.values(node)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child.type === "string") metaRanges(child, source, ranges);
    }
  }
  return ranges;
}

function stripMeta(source, path) {
  let ast;
  try {
    ast = parse(source, { ecmaVersion: "latest", sourceType: "script", allowHashBang: true });
  } catch (e) {
    throw new Error(`${path}: ${e.message}`);
  }
  let out = "", at = 0;
  for (const [start, end] of metaRanges(ast, source, []).sort((a, b) => a[0] - b[0])) {
    if (start < at) continue;  // inside a range already cut
    out += source.slice(at, start);
    at = end;
  }
  return out + source.slice(at);
}

const stripMetaPlugin = {
  name: "strip-attribute-meta",
  setup(b) {
    b.onLoad({ filter: /[\\/]plotly\.js[\\/]src[\\/].*\.js$/ }, async (args) => ({
      contents: stripMeta(await readFile(args.path, "utf8"), args.path),
      loader: "js",
    }));
  },
};

const entry = [
  "var Plotly = require('plotly.js/lib/core');",  // core registers scatter and every component
  `Plotly.register([${traces.filter((t) => t !== "scatter").map((t) => `require('plotly.js/lib/${t}')`).join(", ")}]);`,
  "module.exports = Plotly;",
].join("\n");

// terser shrinks esbuild's minified output by another 4%.
const bundled = await build({
  stdin: { contents: entry, resolveDir: process.cwd(), sourcefile: "entry.js" },
  write: false,
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "Plotly",
  target: "es2016",
  charset: "utf8",
  define: { global: "window", "define.amd": "false" },
  // Only tile-map traces import a stylesheet (maplibre's); a page never holds one.
  loader: { ".css": "empty" },
  plugins: [stripMetaPlugin],
  logLevel: "warning",
});
const minified = await minify(bundled.outputFiles[0].text, {
  ecma: 2016,
  compress: { passes: 2 },
  mangle: true,
  format: { comments: /^!/ },  // keep the dependencies' licence notices
});
await writeFile(outfile, minified.code);
