// Bundles the editor (src/editor.js and the CodeMirror packages of
// package.json, at the versions package-lock.json pins) into one script,
// ../static/editor.js, which the server embeds.
//   npm run build   writes it;
//   npm run check   fails when the committed file is not what the sources
//                   give (CI runs it).
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";

const OUTPUT = "../static/editor.js";

const result = await build({
  entryPoints: ["src/editor.js"],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  legalComments: "none",
  write: false,
  outfile: OUTPUT,
  logLevel: "warning",
});
const bundle = result.outputFiles[0];

if (process.argv.includes("--check")) {
  const committed = readFileSync(OUTPUT);
  if (!committed.equals(Buffer.from(bundle.contents))) {
    console.error(`${OUTPUT} is not what the sources give: run \`npm ci && npm run build\` in server/editor and commit it`);
    process.exit(1);
  }
  console.log(`${OUTPUT} matches its sources (${committed.length} bytes)`);
} else {
  writeFileSync(OUTPUT, bundle.contents);
  console.log(`${OUTPUT}: ${bundle.contents.length} bytes`);
}
