import { machineCpu } from './proc.js'

/**
 * Resolves once the machine has settled: all its cores together busy less than `limitPct` % of one
 * core over `windowMs`, or after `maxMs`.
 *
 * A browser context and its page are new processes: a new context starts three renderer processes
 * (the page's among them), and two used 0.3–0.7 s of CPU each as they started.
 * Navigating at once measured that start-up together with the page: on two cores, the page's main
 * thread got less than half of them (/proc per process, 7 December). Someone who opens a link in a
 * browser that is running does not wait for that: the page loads once the new processes are still.
 * `SETTLE=0` in the environment navigates at once, as before (to compare with older figures).
 */
export async function machineSettled(limitPct = 25, windowMs = 200, maxMs = 5000): Promise<void> {
  if (process.env.SETTLE === '0') return
  const start = performance.now()
  for (;;) {
    const before = machineCpu().busy
    const at = performance.now()
    await new Promise((resolve) => setTimeout(resolve, windowMs))
    const busyPct = (100 * (machineCpu().busy - before)) / ((performance.now() - at) / 1000)
    if (busyPct < limitPct || performance.now() - start > maxMs) return
  }
}
