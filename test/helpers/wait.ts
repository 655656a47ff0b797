import type * as Y from 'yjs'

/** Resolves once `check()` holds, re-checking after every update of `doc`; rejects after `ms`. */
export function untilDoc(
  doc: Y.Doc,
  check: () => boolean,
  ms = 10_000,
  what = 'document condition',
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve()
    const timer = setTimeout(() => {
      doc.off('update', onUpdate)
      reject(new Error(`Timed out after ${ms} ms waiting for ${what}`))
    }, ms)
    const onUpdate = () => {
      if (!check()) return
      clearTimeout(timer)
      doc.off('update', onUpdate)
      resolve()
    }
    doc.on('update', onUpdate)
  })
}

/** Resolves with the arguments of the first `event` emitted by `emitter` that passes `filter`. */
export function once<T extends unknown[]>(
  emitter: {
    on(event: string, fn: (...args: T) => void): unknown
    off(event: string, fn: (...args: T) => void): unknown
  },
  event: string,
  filter: (...args: T) => boolean = () => true,
  ms = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, handler)
      reject(new Error(`Timed out after ${ms} ms waiting for "${event}"`))
    }, ms)
    const handler = (...args: T) => {
      if (!filter(...args)) return
      clearTimeout(timer)
      emitter.off(event, handler)
      resolve(args)
    }
    emitter.on(event, handler)
  })
}
