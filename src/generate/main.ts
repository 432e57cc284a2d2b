import { AvatarsClient } from "../creatify/avatars.js";
import { Http } from "../creatify/http.js";
import { VideosClient } from "../creatify/videos.js";
import { sleep } from "../duration.js";
import { runStep } from "../github/step.js";
import { parseGenerateInputs } from "./inputs.js";
import { generateVideo } from "./journey.js";
import { newVideoRecord, VideoReport } from "./report.js";
import { runVideos } from "./videos/run.js";

/** The generate action: parse every input, then make (or reuse) the video. */
export function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return runStep(env, async (step) => {
    const inputs = await parseGenerateInputs(step.input, step.workspace, step.env);
    if (inputs.wait.shortened) step.log.notice(inputs.wait.shortened);
    if (inputs.kind === "videos") return runVideos(inputs, step);
    const record = newVideoRecord(inputs.video.scenes[0]?.avatarId ?? "", Date.now());
    const report = step.show(new VideoReport(record, step.outputs));
    report.dryRun = inputs.dryRun;
    const options = step.http(inputs);
    // Without credentials (a dry run) nothing is sent.
    const http = inputs.apiId === "" ? undefined : new Http(options);
    await generateVideo(inputs, {
      api: http && {
        avatars: new AvatarsClient(http, options),
        videos: new VideosClient(http, options),
      },
      dispatcher: step.dispatcher,
      callBudgetMs: options.callBudgetMs,
      log: step.log,
      record,
      now: Date.now,
      sleep,
      random: Math.random,
    });
  });
}
