// The runner's side of the protocol: inputs from `INPUT_*`, workflow commands on stdout,
// outputs in the GITHUB_OUTPUT file. Written here rather than imported from @actions/core,
// which loads its HTTP client, and with it all of undici, before its first getInput: 89 ms
// against 27 ms for `node -e 0` (docs/benchmarks.md), more than the whole start-up budget.
// The formats are those of actions/runner's ActionCommand parser and GITHUB_OUTPUT reader.
import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import { EOL } from "node:os";

/** An input as the runner passes it, trimmed: `foo-bar` is `INPUT_FOO-BAR`. */
export function getInput(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim();
}

/** A command's properties, such as an annotation's `file` and `line`; empty ones are left out. */
export type CommandProperties = Readonly<Record<string, string | number | undefined>>;

/**
 * `::name prop=value::message`. The runner reads `%0A`, `%0D` and `%25` back as newline,
 * return and percent, so a message stays one line whatever it holds; a property also
 * escapes the `:` and `,` that would end it.
 */
export function issueCommand(name: string, message: string, properties: CommandProperties = {}) {
  const props = Object.entries(properties)
    .filter(([, value]) => value !== undefined && value !== "")
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(",");
  process.stdout.write(`::${name}${props && ` ${props}`}::${escapeData(message)}${EOL}`);
}

/** A plain log line. */
export function info(message: string): void {
  process.stdout.write(`${message}${EOL}`);
}

/** The runner hides this value in every later line of the log. */
export function setSecret(secret: string): void {
  issueCommand("add-mask", secret);
}

/**
 * One output, as a heredoc under a random delimiter that cannot occur in a value by chance;
 * a value that holds it anyway is refused rather than let it end the heredoc early.
 */
export function setOutput(name: string, value: string, env: NodeJS.ProcessEnv = process.env) {
  const file = env.GITHUB_OUTPUT;
  if (!file) {
    // Outside a runner (a local run), show the value instead.
    issueCommand("set-output", value, { name });
    return;
  }
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter) || value.includes(delimiter)) {
    throw new Error(`output "${name}" holds its own delimiter`);
  }
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, "utf8");
}

const escapeData = (text: string) =>
  text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");

const escapeProperty = (text: string) => escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
