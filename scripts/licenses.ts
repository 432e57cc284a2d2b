// `npm run build` ends here: each bundle's licenses.txt lists the licence of every package that
// ncc put into it, read from ncc's own webpack stats (`--stats-out`). ncc's `--license` left out
// every package of a bundle's main chunk (@actions/core and undici among them: only the lazily
// loaded chunks' packages were listed), so the notices the MIT and ISC licences ask for were
// missing from what the actions ship. Usage: node scripts/licenses.ts STATS OUT [STATS OUT …].
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

interface StatsModule {
  readonly name?: string;
  readonly modules?: readonly StatsModule[];
}

/** The folder of each package a bundle holds: `node_modules/undici`, nested ones included. */
function packageFolders(statsFile: string): Set<string> {
  const stats = JSON.parse(readFileSync(statsFile, "utf8")) as {
    modules?: StatsModule[];
    chunks?: { modules?: StatsModule[] }[];
  };
  const folders = new Set<string>();
  const visit = (modules: readonly StatsModule[] | undefined) => {
    for (const module of modules ?? []) {
      // The innermost node_modules segment names the package the file belongs to.
      const match = /^(?:\.\/)?(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(module.name ?? "");
      if (match?.[1]) folders.add(match[1]);
      visit(module.modules);
    }
  };
  visit(stats.modules);
  for (const chunk of stats.chunks ?? []) visit(chunk.modules);
  return folders;
}

/** `name`, its SPDX id and its licence text, as ncc wrote them, one package after another. */
function licenseEntry(folder: string): { name: string; text: string } {
  const manifest = JSON.parse(readFileSync(path.join(folder, "package.json"), "utf8")) as {
    name: string;
    license?: string;
  };
  const file = readdirSync(folder).find((entry) => /^licen[cs]e/i.test(entry));
  const text = file ? readFileSync(path.join(folder, file), "utf8").trim() : "";
  return {
    name: manifest.name,
    text: [manifest.name, manifest.license ?? "", text].filter(Boolean).join("\n"),
  };
}

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  throw new Error("usage: node scripts/licenses.ts STATS OUT [STATS OUT …]");
}
for (let i = 0; i < args.length; i += 2) {
  const [stats, out] = [args[i] as string, args[i + 1] as string];
  // Two copies of one package (nested versions) with the same text are listed once.
  const entries = new Map<string, { name: string; text: string }>();
  for (const folder of packageFolders(stats)) {
    const entry = licenseEntry(folder);
    entries.set(entry.text, entry);
  }
  const sorted = [...entries.values()].sort((a, b) => a.name.localeCompare(b.name));
  writeFileSync(out, `${sorted.map((entry) => entry.text).join("\n\n")}\n`);
  console.log(`${out}: ${sorted.map((entry) => entry.name).join(", ")}`);
}
