import { type Facilitation, type Phase, setPhase, setSelectionBy } from '../../model/phases.js'
import { connectClient } from './clients.js'
import type { BoardInfo } from './server.js'
import { untilDoc } from './wait.js'

/** The facilitator sets the board's phase (and who selects), as the facilitator's browser would. */
export async function setBoardPhase(
  url: string,
  board: BoardInfo,
  phase: Phase,
  selectionBy: Facilitation['selectionBy'] = 'facilitator',
): Promise<void> {
  const facilitator = connectClient(url, board.id, board.tokens.facilitator)
  await facilitator.synced
  setSelectionBy(facilitator.doc, selectionBy)
  setPhase(facilitator.doc, phase)
  // A second connection sees the change only once the server has stored and applied it.
  const check = connectClient(url, board.id, board.tokens.observer)
  await check.synced
  await untilDoc(check.doc, () => {
    const meta = check.doc.getMap('meta')
    return meta.get('phase') === phase && meta.get('selectionBy') === selectionBy
  })
  facilitator.destroy()
  check.destroy()
}
