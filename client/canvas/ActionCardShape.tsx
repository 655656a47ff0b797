import type { KeyboardEvent, PointerEvent } from 'react'
import { type Editor, HTMLContainer, type RecordProps, Rectangle2d, ShapeUtil, T, type TLShape } from 'tldraw'
import { type CardEditorMark, CardFace } from '../card/CardFace.js'
import { CardPicture, type CardPictureSource } from './cardSvg.js'
import { useCanvasBoard } from './context.js'
export const ACTION_CARD = 'action-card' as const

declare module 'tldraw' {
  export interface TLGlobalShapePropsMap {
    [ACTION_CARD]: { cardId: string; w: number; h: number }
  }
}

export type ActionCardShape = TLShape<typeof ACTION_CARD>

/**
 * An action card on the canvas: the card face (client/card/CardFace.tsx), as in every other view. The
 * shape record holds only which card it shows and its size; the content is read from the model (the
 * Y.Doc), never copied into the tldraw store, and edited in the detail editor a click opens. Position
 * and lane are derived from the model by the binding.
 */
export class ActionCardShapeUtil extends ShapeUtil<ActionCardShape> {
  static override type = ACTION_CARD
  static override props: RecordProps<ActionCardShape> = {
    cardId: T.string,
    w: T.positiveNumber,
    h: T.positiveNumber,
  }

  getDefaultProps(): ActionCardShape['props'] {
    return { cardId: '', w: 300, h: 400 }
  }

  getGeometry(shape: ActionCardShape) {
    return new Rectangle2d({ width: shape.props.w, height: shape.props.h, isFilled: true })
  }

  getIndicatorPath(shape: ActionCardShape): Path2D {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 8)
    return path
  }

  override canResize() {
    return false
  }
  override hideResizeHandles() {
    return true
  }
  override hideRotateHandle() {
    return true
  }
  override canEdit() {
    return false
  }

  /** A click on a card (not a drag) opens its detail editor; Canvas registers what opening does. */
  override onClick(shape: ActionCardShape) {
    openers.get(this.editor)?.(shape.props.cardId)
  }

  component(shape: ActionCardShape) {
    return <CanvasCard shape={shape} />
  }

  /** The card as plain SVG in tldraw's exports (the canvas downloads): no HTML, no outside font. */
  override toSvg(shape: ActionCardShape) {
    const source = pictureSources.get(this.editor)
    if (!source) return null
    const { cardId, w, h } = shape.props
    return <CardPicture source={source} cardId={cardId} w={w} h={h} />
  }
}

const pictureSources = new WeakMap<Editor, CardPictureSource>()

/** Where this editor's card shapes read their content from when exported (Canvas registers it). */
export function setPictureSource(editor: Editor, source: CardPictureSource): () => void {
  pictureSources.set(editor, source)
  return () => {
    if (pictureSources.get(editor) === source) pictureSources.delete(editor)
  }
}

const openers = new WeakMap<Editor, (cardId: string) => void>()

/** What a click on a card shape does in this editor (open the card's detail editor). */
export function onCardClick(editor: Editor, open: (cardId: string) => void): () => void {
  openers.set(editor, open)
  return () => openers.delete(editor)
}

/** Controls on the face other than the title (the vote button) take the pointer from the canvas. */
const keepPointer = (event: PointerEvent<HTMLElement>) => {
  const control = (event.target as HTMLElement).closest('button, input, select, textarea, a')
  if (control && !control.classList.contains('card-open')) event.stopPropagation()
}
/** Keys pressed on the face's buttons (Enter, Space, Tab) are theirs, never the canvas's shortcuts. */
const keepKeys = (event: KeyboardEvent<HTMLElement>) => {
  if (event.key !== 'Escape') event.stopPropagation()
}

const NOBODY: readonly CardEditorMark[] = []

function CanvasCard({ shape }: { shape: ActionCardShape }) {
  const board = useCanvasBoard()
  const { cardId, w, h } = shape.props
  const editors = board.editing.get(cardId) ?? NOBODY
  return (
    <HTMLContainer
      className="canvas-card"
      data-card-id={cardId}
      style={{ width: w, height: h, pointerEvents: 'all' }}
      onPointerDown={keepPointer}
      onKeyDown={keepKeys}
    >
      <CardFace
        doc={board.doc}
        cardId={cardId}
        number={board.numbers.get(cardId) ?? 0}
        template={board.template}
        phase={board.phase}
        onOpen={board.openCard}
        editors={editors}
        spotlit={board.spotlight === cardId}
        variant="canvas"
      />
    </HTMLContainer>
  )
}
