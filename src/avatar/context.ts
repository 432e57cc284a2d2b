import type { AvatarsClient } from "../creatify/avatars.js";
import type { Persona } from "../creatify/persona.js";
import type { VideoFile } from "../files/video.js";
import type { Log } from "../log.js";
import type { Decision } from "./decide.js";
import type { AvatarSpec, WaitSettings } from "./inputs.js";
import type { AvatarRecord } from "./record.js";
import type { Report } from "./report.js";

/** What every avatar's journey needs: the API, the log, the report and the clock. */
export interface AvatarContext {
  readonly client: AvatarsClient;
  readonly log: Log;
  readonly report: Report;
  readonly wait: WaitSettings;
  /** Delete the older takes of an avatar once it is approved. */
  readonly deleteReplaced: boolean;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/** A spec's videos, checked and ready to send: files inspected on disk, or URLs. */
export type Videos =
  | { readonly kind: "file"; readonly video: VideoFile; readonly consent: VideoFile | undefined }
  | { readonly kind: "url"; readonly video: string; readonly consent: string | undefined };

/** One avatar the run asks for, its videos checked, with its record in the report. */
export interface Wanted {
  readonly spec: AvatarSpec;
  readonly videos: Videos;
  readonly record: AvatarRecord;
}

/** A wanted avatar with what the run decided for it, and the same-name avatars it saw. */
export interface Planned extends Wanted {
  readonly decision: Decision;
  readonly sameName: readonly Persona[];
  readonly known: ReadonlySet<string>;
}
