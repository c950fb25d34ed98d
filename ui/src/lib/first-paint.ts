/**
 * "The first view has painted": background work that the first screen does not need (the DM layer
 * deriving its keys and publishing its prekey, …) waits for it, then for an idle moment, so it does
 * not compete with the feed's first data and render. The feed marks it once its first page (or
 * its empty or error state) is on screen; any other first view marks it when it mounts the Shell.
 * A cap keeps the work from waiting forever if nothing marks it.
 */

/** Longest wait for the mark before background work starts anyway. */
const MAX_WAIT_MS = 4000;
/** Longest wait for an idle moment once painted. */
const IDLE_TIMEOUT_MS = 1500;

let mark: () => void = () => undefined;
const painted = new Promise<void>((resolve) => {
  mark = resolve;
});

/** The first view's data is rendered: called once it is (later calls do nothing). */
export function markFirstPaint(): void {
  // After the browser has painted the frame holding it.
  requestAnimationFrame(() => setTimeout(mark, 0));
}

/** Runs `work` after the first paint, at an idle moment; the returned function cancels it. */
export function afterFirstPaint(work: () => void): () => void {
  let cancelled = false;
  let idle: number | undefined;
  const cap = setTimeout(mark, MAX_WAIT_MS);
  void painted.then(() => {
    clearTimeout(cap);
    if (cancelled) return;
    idle =
      typeof requestIdleCallback === "function"
        ? requestIdleCallback(work, { timeout: IDLE_TIMEOUT_MS })
        : window.setTimeout(work, 0);
  });
  return () => {
    cancelled = true;
    clearTimeout(cap);
    if (idle === undefined) return;
    if (typeof cancelIdleCallback === "function") cancelIdleCallback(idle);
    else clearTimeout(idle);
  };
}
