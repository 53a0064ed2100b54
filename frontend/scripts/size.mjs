// Gzipped size of the JavaScript the first page load fetches: the entry script of dist/index.html
// plus its modulepreload links. Lazy chunks (streaming engine, Markdown) are listed separately.
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";

const html = readFileSync("dist/index.html", "utf8");
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gz = (file) => gzipSync(readFileSync(`dist/${file}`), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

let total = 0;
for (const file of initial) {
  total += gz(file);
  console.log(`initial  ${file}  ${kb(gz(file))} gzipped`);
}
for (const file of readdirSync("dist/assets").map((f) => `assets/${f}`)) {
  if (file.endsWith(".js") && !initial.includes(file)) console.log(`lazy     ${file}  ${kb(gz(file))} gzipped`);
}
console.log(`Initial JS: ${kb(total)} gzipped`);
