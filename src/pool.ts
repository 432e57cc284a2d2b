/** Runs the jobs with at most `limit` at once; resolves when all have settled. */
export async function runPool(jobs: (() => Promise<void>)[], limit: number): Promise<void> {
  const queue = [...jobs];
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await job();
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
}
