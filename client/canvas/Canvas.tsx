import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite.js'
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { type Editor, type TLComponents, type TLUiOverrides, Tldraw } from 'tldraw'
import 'tldraw/tldraw.css'
import type { BoardTemplate } from '../../model/template.js'
import { useLaneLayout } from '../board/hooks.js'
import type { Can } from '../board/permissions.js'
import type { Peer } from '../board/presence.js'
import type { BoardSession } from '../board/session.js'
import { useSpotlight } from '../board/spotlight.js'
import { useLinks } from '../card/Links.js'
import { ActionCardShapeUtil } from './ActionCardShape.js'
import { bindCards, type CardBinding, cardShapeId } from './cardBinding.js'
import { type CanvasBoard, CanvasContext } from './context.js'
import { bindDrawings } from './drawingBinding.js'
import { Follow } from './Follow.js'
import { CARD_H, CARD_W } from './geometry.js'
import { bindPresence } from './presenceBinding.js'

const shapeUtils = [ActionCardShapeUtil]
// Fonts, icons and translations are bundled and served from this origin: nothing comes from a CDN.
const assetUrls = getAssetUrlsByImport()

interface Props {
  session: BoardSession
  template: BoardTemplate
  readOnly: boolean
  can: Can
  userName: string
  peers: Peer[]
  licenseKey: string | undefined
  onEditing: (cardId: string | null) => void
}

/**
 * The workshop canvas: tldraw as a view of the board model. Action cards are shapes derived from the
 * cards (cardBinding), drawings beside them are synced as tldraw records (drawingBinding), cursors come
 * from presence (presenceBinding), and undo/redo is the session's own-changes-only undo.
 */
export default function Canvas({
  session,
  template,
  readOnly,
  can,
  userName,
  peers,
  licenseKey,
  onEditing,
}: Props) {
  const { numbers } = useLaneLayout(session.doc)
  const spotlight = useSpotlight(session.doc)
  const [binding, setBinding] = useState<CardBinding | null>(null)
  const [editor, setEditor] = useState<Editor | null>(null)
  // The bindings read the current permissions when the user acts, not those of when they were made.
  const canRef = useRef(can)
  canRef.current = can
  useEffect(() => {
    editor?.updateInstanceState({ isReadonly: !can('canvas') })
  }, [editor, can])
  // The facilitator's spotlight brings everyone to the card.
  useEffect(() => {
    if (!editor || !spotlight) return
    const bounds = editor.getShapePageBounds(cardShapeId(spotlight))
    if (bounds) editor.zoomToBounds(bounds, { inset: 80, animation: { duration: 300 } })
  }, [editor, spotlight])
  const board = useMemo<CanvasBoard>(
    () => ({ doc: session.doc, template, readOnly, can, userName, spotlight, peers, numbers, onEditing }),
    [session, template, readOnly, can, userName, spotlight, peers, numbers, onEditing],
  )
  const components = useMemo<TLComponents>(
    () => ({
      OnTheCanvas: binding
        ? () => (
            <>
              <Lanes binding={binding} />
              <LinkArrows binding={binding} doc={session.doc} />
            </>
          )
        : null,
      PageMenu: null,
      MainMenu: null,
      HelpMenu: null,
      DebugMenu: null,
      DebugPanel: null,
      SharePanel: null,
      Minimap: null,
      KeyboardShortcutsDialog: null,
    }),
    [binding, session],
  )
  const overrides = useMemo<TLUiOverrides>(
    () => ({
      tools(_editor, tools) {
        // Images would be stored inside the board for everyone; not supported (yet).
        delete tools.asset
        return tools
      },
      actions(_editor, actions) {
        // tldraw's own undo would restore whole records over other people's changes.
        actions.undo = {
          ...actions.undo,
          onSelect: () => void session.undo.undo(),
        } as (typeof actions)['undo']
        actions.redo = {
          ...actions.redo,
          onSelect: () => void session.undo.redo(),
        } as (typeof actions)['redo']
        return actions
      },
    }),
    [session],
  )
  const onMount = useCallback(
    (editor: Editor) => {
      editor.updateInstanceState({ isReadonly: !canRef.current('canvas') })
      setEditor(editor)
      // Dropped or pasted files would become image assets: not part of a board (yet).
      editor.registerExternalContentHandler('files', () => {})
      const cards = bindCards(editor, session.doc, (action) => canRef.current(action))
      const unbindDrawings = bindDrawings(editor, session.doc)
      const unbindPresence = bindPresence(editor, session.provider)
      setBinding(cards)
      const first = cards.lanes()[0]
      if (first)
        editor.zoomToBounds(
          { x: first.x - 40, y: first.y - 40, w: first.w * 2 + 200, h: 900 },
          { immediate: true },
        )
      ;(window as { werkbordEditor?: Editor }).werkbordEditor = editor
      return () => {
        cards.dispose()
        unbindDrawings()
        unbindPresence()
      }
    },
    [session],
  )

  return (
    <CanvasContext.Provider value={board}>
      <div className="canvas" data-testid="canvas">
        <Follow editor={editor} provider={session.provider} peers={peers} isFacilitator={can('meta')} />
        <Tldraw
          shapeUtils={shapeUtils}
          assetUrls={assetUrls}
          components={components}
          overrides={overrides}
          onMount={onMount}
          licenseKey={licenseKey}
        />
      </div>
    </CanvasContext.Provider>
  )
}

/** The lanes as large labelled regions behind the cards. */
function Lanes({ binding }: { binding: CardBinding }) {
  const lanes = useSyncExternalStore(binding.subscribeLanes, binding.lanes)
  return (
    <>
      {lanes.map((lane) => (
        <div
          key={lane.id}
          className="canvas-lane"
          data-lane={lane.id}
          style={{ position: 'absolute', left: lane.x, top: lane.y, width: lane.w, height: lane.h }}
        >
          <h2>{lane.label}</h2>
        </div>
      ))}
    </>
  )
}

/** Links between cards as arrows from card to card (green: reinforce, red: clash), under the cards. */
function LinkArrows({ binding, doc }: { binding: CardBinding; doc: BoardSession['doc'] }) {
  useSyncExternalStore(binding.subscribeLayout, binding.layoutVersion)
  const links = useLinks(doc)
  const positions = binding.positions()
  const center = (id: string) => {
    const pos = positions.get(id)
    return pos ? { x: pos.x + CARD_W / 2, y: pos.y + CARD_H / 2 } : null
  }
  const drawn = links.flatMap((link) => {
    const [from, to] = [center(link.from), center(link.to)]
    return from && to ? [{ link, from, to }] : []
  })
  if (drawn.length === 0) return null
  return (
    <svg
      className="canvas-links"
      style={{ position: 'absolute', left: 0, top: 0, overflow: 'visible' }}
      width={1}
      height={1}
    >
      <title>Koppelingen</title>
      <defs>
        {(['koppelkans', 'dilemma'] as const).map((kind) => (
          <marker
            key={kind}
            id={`arrow-${kind}`}
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="8"
            markerHeight="8"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill={kind === 'koppelkans' ? '#2f7d4f' : '#a33b3b'} />
          </marker>
        ))}
      </defs>
      {drawn.map(({ link, from, to }) => (
        <line
          key={link.id}
          data-link={link.kind}
          x1={from.x}
          y1={from.y}
          x2={to.x}
          y2={to.y}
          stroke={link.kind === 'koppelkans' ? '#2f7d4f' : '#a33b3b'}
          strokeWidth={6}
          strokeDasharray={link.kind === 'dilemma' ? '16 10' : undefined}
          markerEnd={`url(#arrow-${link.kind})`}
        />
      ))}
    </svg>
  )
}
