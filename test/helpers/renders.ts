/**
 * An init script for a page: counts which card faces React renders, through the hook React offers to
 * its developer tools (also in production builds). Every commit is walked as the developer tools do:
 * only subtrees React worked on, and in them the `CardFace` components that performed work (rendered)
 * or mounted. `window.__faceRenders` collects their `cardId`s; empty it to start counting.
 * `window.__commits.count` counts React's commits (each a render pass the browser then lays out and
 * paints); set it to 0 to start counting. `window.__commits.worked` names, per commit, the function
 * components that rendered in it (minified names in a production build): to tell what an extra
 * commit was.
 */
export function countFaceRenders(): void {
  interface Fiber {
    type: { displayName?: string } | string | null
    flags: number
    alternate: Fiber | null
    child: Fiber | null
    sibling: Fiber | null
    memoizedProps: { cardId?: string } | null
  }
  const renders: string[] = []
  const commits = { count: 0, worked: [] as string[][] }
  ;(window as unknown as { __faceRenders: string[] }).__faceRenders = renders
  ;(window as unknown as { __commits: { count: number } }).__commits = commits
  const PERFORMED_WORK = 1
  const visit = (parent: Fiber) => {
    // Children shared with the previous tree were not worked on: nothing under them rendered.
    if (parent.alternate && parent.child === parent.alternate.child) return
    for (let fiber = parent.child; fiber; fiber = fiber.sibling) {
      const rendered = fiber.alternate === null || (fiber.flags & PERFORMED_WORK) === PERFORMED_WORK
      if (rendered && typeof fiber.type === 'function') {
        const type = fiber.type as { displayName?: string; name?: string }
        commits.worked.at(-1)?.push(type.displayName ?? type.name ?? '?')
      }
      if (
        rendered &&
        typeof fiber.type === 'function' &&
        (fiber.type as { displayName?: string }).displayName === 'CardFace'
      )
        renders.push(fiber.memoizedProps?.cardId ?? '?')
      visit(fiber)
    }
  }
  const renderers = new Map<number, unknown>()
  ;(window as unknown as Record<string, unknown>).__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true,
    isDisabled: false,
    renderers,
    inject(renderer: unknown) {
      renderers.set(renderers.size + 1, renderer)
      return renderers.size
    },
    onCommitFiberRoot(_id: number, root: { current: Fiber }) {
      commits.count++
      commits.worked.push([])
      visit(root.current)
    },
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    onScheduleFiberRoot() {},
    checkDCE() {},
  }
}
