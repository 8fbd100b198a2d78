// Build the served assets from node_modules into static/govuk/ (gitignored).
// Called by `make assets`; rerun whenever package.json changes.
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const out = path.join(root, "static", "govuk");
const vendor = path.join(root, "static", "vendor");
const govuk = path.join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
rmSync(vendor, { recursive: true, force: true });
mkdirSync(path.join(out, "assets"), { recursive: true });
mkdirSync(vendor, { recursive: true });

// Images only (favicons, icons); the GDS Transport fonts are deliberately not copied.
cpSync(path.join(govuk, "assets", "images"), path.join(out, "assets", "images"), { recursive: true });
cpSync(path.join(govuk, "assets", "manifest.json"), path.join(out, "assets", "manifest.json"));
cpSync(path.join(govuk, "govuk-frontend.min.js"), path.join(out, "govuk-frontend.min.js"));
cpSync(path.join(root, "node_modules", "axe-core", "axe.min.js"), path.join(vendor, "axe.min.js"));

execFileSync(
  path.join(root, "node_modules", ".bin", "sass"),
  ["--load-path=node_modules", "--style=compressed", "--no-source-map", "--quiet-deps",
   path.join(root, "static", "scss", "app.scss"), path.join(out, "app.css")],
  { stdio: "inherit" },
);
console.log("assets built in static/govuk/");
