// Data kept whole until it is shown: ids and URLs exact, free text redacted and cut.
import { describe, expect, it } from "vitest";
import { type OutputValue, outputText } from "../../src/github/outputs.ts";

const redact = (text: string) => text.replaceAll("ab", "***");
const long = (prefix: string, size: number) => prefix + "x".repeat(size - prefix.length);
const URL_2000 = long("https://cdn.example.com/v.mp4?X-Amz-Signature=ab", 2000);
const REASON_5000 = long("bad take ab ", 5000);
const cut = `${REASON_5000.replaceAll("ab", "***").slice(0, 999)}…`;

describe("outputText", () => {
  it.each<[string, OutputValue, string]>([
    ["an id containing a short credential, exact", { exact: "ab12-cd" }, "ab12-cd"],
    ["a 2,000-character URL, exact", { exact: URL_2000 }, URL_2000],
    ["free text, redacted and cut", REASON_5000, cut],
    ["short text, redacted", "ab", "***"],
    [
      "an object: ids and URLs whole, text cut, a webhook without its query",
      {
        json: {
          id: "ab1",
          avatar_id: "ab2",
          output: URL_2000,
          failed_reason: REASON_5000,
          webhook_url: "https://hooks.example.com/x?token=ab",
          nested: [{ note: "ab" }],
          replaces: "ab3",
        },
        ids: ["replaces"],
      },
      JSON.stringify({
        id: "ab1",
        avatar_id: "ab2",
        output: URL_2000,
        failed_reason: cut,
        webhook_url: "https://hooks.example.com/x?***",
        nested: [{ note: "***" }],
        replaces: "ab3",
      }),
    ],
    [
      "a list of ids under an id key",
      { json: [{ deletes: ["ab1", "ab2"] }], ids: ["deletes"] },
      '[{"deletes":["ab1","ab2"]}]',
    ],
    ["text that only starts like a URL is text", "https://x y ab", "https://x y ***"],
  ])("%s", (_, value, expected) => {
    expect(outputText(value, redact)).toBe(expected);
  });

  it("keeps an object within its share with its documented fields, the URL whole", () => {
    const object = {
      id: "j1",
      output: URL_2000,
      extra: Array.from({ length: 40 }, () => REASON_5000),
    };
    const shown = JSON.parse(outputText({ json: object, documented: ["id", "output"] }, redact));
    expect(shown).toEqual({ id: "j1", output: URL_2000 });
  });
});
