// Copies htmx from node_modules into static/, stamped with the exact version
// npm installed, so the Go binary can embed it and CI can check it is fresh.
import { readFileSync, writeFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync("node_modules/htmx.org/package.json", "utf8"));
const js = readFileSync("node_modules/htmx.org/dist/htmx.min.js", "utf8");
writeFileSync(
  "static/htmx.min.js",
  `/* htmx.org ${pkg.version} (BSD Zero Clause License), vendored from npm by \`npm run vendor:htmx\`. */\n${js}`,
);
console.log(`vendored htmx.org ${pkg.version}`);
