import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite.js'
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { DefaultStylePanel, type Editor, type TLComponents, type TLUiOverrides, Tldraw } from 'tldraw'
import 'tldraw/tldraw.css'
import type { Phase } from '../../model/phases.js'
import type { BoardTemplate } from '../../model/template.js'
import { useLaneLayout } from '../board/hooks.js'
import type { Can } from '../board/session/permissions.js'
import type { Peer } from '../board/session/presence.js'
import type { BoardSession } from '../board/session/session.js'
import { useSpotlight } from '../board/spotlight.js'
import type { CardEditorMark } from '../card/CardFace.js'
import { useLinks } from '../card/Links.js'
import { useI18n } from '../i18n.js'
import { CanvasDownloads } from '../views/CanvasDownloads.js'
import { ActionCardShapeUtil, onCardClick, setPictureSource } from './ActionCardShape.js'
import { bindCards, type CardBinding, cardShapeId } from './cardBinding.js'
import { type CanvasBoard, CanvasContext } from './context.js'
import { bindDrawings } from './drawingBinding.js'
import { Follow } from './Follow.js'
import { boundsOf, CARD_H, CARD_W, LEGIBLE_ZOOM, type Rect } from './geometry.js'
import { bindPresence } from './presenceBinding.js'
import './canvas.css'
import { BUTTON } from '../controls.js'

const shapeUtils = [ActionCardShapeUtil]
// Fonts, icons and translations are bundled and served from this origin: nothing comes from a CDN.
const assetUrls = getAssetUrlsByImport()

interface Props {
  session: BoardSession
  template: BoardTemplate
  phase: Phase
  can: Can
  peers: Peer[]
  licenseKey: string | undefined
  /** The card whose detail editor is open (the canvas brings it into view), or null. */
  openCardId: string | null
  /** Opens a card's detail editor (a click on a card, or Enter on its title). */
  onOpen: (cardId: string) => void
}

/**
 * The workshop canvas: tldraw as a view of the board model. Action cards are card faces on shapes
 * derived from the cards (cardBinding); a click opens the card's detail editor. Drawings beside them
 * are synced as tldraw records (drawingBinding), cursors come from presence (presenceBinding), and
 * undo/redo is the session's own-changes-only undo.
 */
export default function Canvas({
  session,
  template,
  phase,
  can,
  peers,
  licenseKey,
  openCardId,
  onOpen,
}: Props) {
  const { numbers } = useLaneLayout(session.doc)
  const spotlight = useSpotlight(session.doc)
  const [binding, setBinding] = useState<CardBinding | null>(null)
  const [editor, setEditor] = useState<Editor | null>(null)
  // The bindings read the current permissions when the user acts, not those of when they were made.
  const canRef = useRef(can)
  canRef.current = can
  const openRef = useRef(onOpen)
  openRef.current = onOpen
  useEffect(() => {
    editor?.updateInstanceState({ isReadonly: !can('canvas') })
  }, [editor, can])
  // The facilitator's spotlight brings everyone to the card.
  useEffect(() => {
    if (!editor || !spotlight) return
    const bounds = editor.getShapePageBounds(cardShapeId(spotlight))
    if (bounds) editor.zoomToBounds(bounds, { inset: 80, animation: { duration: 300 } })
  }, [editor, spotlight])
  // The card being edited (a new one too) is brought into view beside its editor.
  useEffect(() => {
    if (!editor || !binding || !openCardId) return
    let frame = 0
    const show = () => {
      const pos = binding.positions().get(openCardId)
      if (!pos) return false
      cancelAnimationFrame(frame)
      // After the editor has opened: it covers part of the screen (a side panel on a laptop).
      frame = requestAnimationFrame(() => bringIntoView(editor, { ...pos, w: CARD_W, h: CARD_H }))
      return true
    }
    if (show()) return () => cancelAnimationFrame(frame)
    // A new card: its shape comes with the next layout.
    const off = binding.subscribeLayout(() => {
      if (show()) off()
    })
    return () => {
      off()
      cancelAnimationFrame(frame)
    }
  }, [editor, binding, openCardId])
  // Exports (the canvas downloads) draw the cards from the model.
  useEffect(() => {
    if (editor) return setPictureSource(editor, { doc: session.doc, template, numbers })
  }, [editor, session, template, numbers])
  const openCard = useCallback((cardId: string) => openRef.current(cardId), [])
  // Presence changes with every cursor move; the cards need only who edits which card.
  const editingKey = JSON.stringify(
    peers.filter((peer) => !peer.self && peer.editing).map((p) => [p.editing, p.user.name, p.user.color]),
  )
  const editing = useMemo(() => {
    const marks = new Map<string, CardEditorMark[]>()
    for (const [cardId, name, color] of JSON.parse(editingKey) as [string, string, string][])
      marks.set(cardId, [...(marks.get(cardId) ?? []), { name, color }])
    return marks
  }, [editingKey])
  const board = useMemo<CanvasBoard>(
    () => ({ doc: session.doc, template, phase, can, spotlight, editing, numbers, openCard }),
    [session, template, phase, can, spotlight, editing, numbers, openCard],
  )
  const components = useMemo<TLComponents>(
    () => ({
      OnTheCanvas: binding
        ? () => (
            <>
              <Lanes binding={binding} canArrange={can('card.pos') && template.themes.length > 0} />
              <LinkArrows binding={binding} doc={session.doc} />
            </>
          )
        : null,
      StylePanel: FoldedStylePanel,
      PageMenu: null,
      MainMenu: null,
      HelpMenu: null,
      DebugMenu: null,
      DebugPanel: null,
      SharePanel: null,
      Minimap: null,
      KeyboardShortcutsDialog: null,
    }),
    [binding, session, can, template],
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
      const unbindClick = onCardClick(editor, (cardId) => openRef.current(cardId))
      const unguardKeys = guardKeys(editor)
      setBinding(cards)
      fitLanes(editor, cards.lanes())
      ;(window as { werkbordEditor?: Editor }).werkbordEditor = editor
      return () => {
        cards.dispose()
        unbindDrawings()
        unbindPresence()
        unbindClick()
        unguardKeys()
      }
    },
    [session],
  )

  return (
    <CanvasContext.Provider value={board}>
      <div className="canvas" data-testid="canvas">
        <Follow editor={editor} provider={session.provider} peers={peers} isFacilitator={can('meta')} />
        {editor && binding && <CanvasDownloads editor={editor} binding={binding} doc={session.doc} />}
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

const SCREEN_PAD = 24
/** Above the lanes: room for tldraw's quick actions and "Volg mij", which float over the canvas. */
const SCREEN_PAD_TOP = 64
/** Below them: room for tldraw's toolbar and zoom, and the canvas downloads (views.css). */
const SCREEN_PAD_BOTTOM = 64

/**
 * The first view: all lanes, as large as fits, but never so small that a card's title is below 12 px
 * on screen (then the lanes are shown from their top-left corner, and one scrolls for the rest).
 */
function fitLanes(editor: Editor, lanes: readonly Rect[]): void {
  const bounds = boundsOf(lanes)
  if (!bounds) return
  const screen = editor.getViewportScreenBounds()
  const room = { w: screen.w - 2 * SCREEN_PAD, h: screen.h - SCREEN_PAD_BOTTOM - SCREEN_PAD_TOP }
  const z = Math.min(1, Math.max(LEGIBLE_ZOOM, Math.min(room.w / bounds.w, room.h / bounds.h)))
  const x = bounds.w * z <= room.w ? (screen.w - bounds.w * z) / 2 / z - bounds.x : SCREEN_PAD / z - bounds.x
  editor.setCamera({ x, y: SCREEN_PAD_TOP / z - bounds.y, z }, { immediate: true })
}

/**
 * Moves the camera (keeping a legible zoom) so that `card` is in view and not under the detail
 * editor, which on a laptop is a panel over the right of the screen.
 */
function bringIntoView(editor: Editor, card: Rect): void {
  const screen = editor.getViewportScreenBounds()
  const panel = document.querySelector('dialog[open]')?.getBoundingClientRect()
  // The part of the canvas the editor leaves free (all of it when the editor covers the screen).
  const freeRight =
    panel && panel.left - screen.x > CARD_W * LEGIBLE_ZOOM + 2 * SCREEN_PAD ? panel.left - screen.x : screen.w
  const z = Math.max(editor.getZoomLevel(), LEGIBLE_ZOOM)
  const topLeft = editor.pageToScreen({ x: card.x, y: card.y })
  const inView =
    z === editor.getZoomLevel() &&
    topLeft.x - screen.x >= 0 &&
    topLeft.y - screen.y >= 0 &&
    topLeft.x - screen.x + card.w * z <= freeRight &&
    topLeft.y - screen.y + card.h * z <= screen.h
  if (inView) return
  const x = freeRight / 2 / z - (card.x + card.w / 2)
  const y = screen.h / 2 / z - (card.y + card.h / 2)
  editor.setCamera({ x, y, z }, { animation: { duration: 200 } })
}

/**
 * Keys typed anywhere outside the canvas (the board's header, the detail editor) never reach tldraw's
 * shortcuts, which listen on the page's body: a theme ticked with the keyboard or a title typed must
 * not switch tools. Keys on the canvas itself (and with nothing focused) still do.
 */
function guardKeys(editor: Editor): () => void {
  const root = editor.getContainer().ownerDocument.getElementById('root')
  if (!root) return () => {}
  const stop = (event: KeyboardEvent) => {
    const target = event.target as Node | null
    if (target && !editor.getContainer().contains(target)) event.stopPropagation()
  }
  root.addEventListener('keydown', stop)
  root.addEventListener('keyup', stop)
  return () => {
    root.removeEventListener('keydown', stop)
    root.removeEventListener('keyup', stop)
  }
}

/** tldraw's style panel, folded away behind one button until someone wants it. */
function FoldedStylePanel() {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  return (
    <div className="canvas-style-panel">
      <button
        type="button"
        className={`${BUTTON} canvas-style-toggle`}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? t.stylePanelClose : t.stylePanelOpen}
      </button>
      {open && <DefaultStylePanel />}
    </div>
  )
}

/** The lanes as large labelled regions behind the cards, each with "Ordenen op thema". */
function Lanes({ binding, canArrange }: { binding: CardBinding; canArrange: boolean }) {
  const { t } = useI18n()
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
          {canArrange && (
            <button
              className={BUTTON}
              type="button"
              data-action="arrange-by-theme"
              onPointerDown={(event) => event.stopPropagation()}
              onKeyDown={(event) => event.stopPropagation()}
              onClick={() => binding.arrangeByTheme(lane.id)}
            >
              {t.arrangeByTheme}
            </button>
          )}
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
