/**
 * A background worker of one app instance: runs `task` every `everyMs` until stopped, never two runs at
 * once, errors handed to `onError` (logged), never thrown; the timer does not keep the process alive.
 * Several instances may run the same worker: the tasks claim their rows with `FOR UPDATE SKIP LOCKED`.
 */
export function repeatEvery(
  everyMs: number,
  task: () => Promise<unknown>,
  onError: (err: unknown) => void,
): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
