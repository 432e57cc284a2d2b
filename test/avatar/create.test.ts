import { describe, expect, it } from "vitest";
import { fallback, type Tagging } from "../../src/avatar/create.ts";
import { CreatifyError, httpFailure } from "../../src/creatify/errors.ts";

const refused = (status: number, detail: string) =>
  httpFailure(status, "POST /api/personas_v2/", detail, undefined);

describe("fallback: what a create sends after a refusal", () => {
  it.each<[string, unknown, Tagging, Tagging | undefined]>([
    [
      "a 400 naming labels: without the label",
      refused(400, "labels: No."),
      "keywords-and-label",
      "keywords",
    ],
    [
      "a 400 naming keywords: the user's keywords alone",
      refused(400, "keywords: No."),
      "keywords-and-label",
      "none",
    ],
    [
      "keywords named among other fields",
      refused(400, "gender: x; keywords: No."),
      "keywords-and-label",
      "none",
    ],
    ["keywords refused after the label was", refused(400, "keywords: No."), "keywords", "none"],
    [
      "labels refused again without the label: the user's own",
      refused(400, "labels: No."),
      "keywords",
      undefined,
    ],
    [
      "anything refused once nothing is left to drop",
      refused(400, "keywords: No."),
      "none",
      undefined,
    ],
    [
      "a 400 naming another field",
      refused(400, "video_scene: Unknown."),
      "keywords-and-label",
      undefined,
    ],
    [
      "a field whose name only ends in labels",
      refused(400, "extra_labels: No."),
      "keywords-and-label",
      undefined,
    ],
    [
      "a detail that mentions keywords in passing",
      refused(400, "check the keywords: please"),
      "keywords-and-label",
      undefined,
    ],
    ["a 500 naming labels", refused(500, "labels: down"), "keywords-and-label", undefined],
    ["not a CreatifyError", new Error("HTTP 400: labels: No."), "keywords-and-label", undefined],
  ])("%s", (_, error, tagging, next) => {
    expect(fallback(error, tagging)).toBe(next);
  });

  it("reads the status, not only the words", () => {
    const odd = new CreatifyError(
      "POST /api/personas/: HTTP 400: labels: No.",
      "final",
      "bad-request",
      409,
    );
    expect(fallback(odd, "keywords-and-label")).toBeUndefined();
  });
});
