import { describe, expect, it } from "vitest";
import { urlSecrets, withoutQuery } from "../src/text.ts";

describe("a URL's query is secret", () => {
  it.each([
    [
      "https://hooks.example.com/x?token=T",
      ["https://hooks.example.com/x?token=T"],
      "https://hooks.example.com/x?***",
    ],
    [
      "https://hooks.example.com/x?",
      ["https://hooks.example.com/x?"],
      "https://hooks.example.com/x?***",
    ],
    ["https://hooks.example.com/x", [], "https://hooks.example.com/x"],
    ["", [], ""],
  ])("%j: masked as %j, shown as %j", (url, masked, shown) => {
    expect(urlSecrets(url)).toEqual(masked);
    expect(withoutQuery(url)).toBe(shown);
  });

  it("masks nothing when there is no URL", () => {
    expect(urlSecrets(undefined)).toEqual([]);
  });
});
