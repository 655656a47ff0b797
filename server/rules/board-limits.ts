import * as Y from 'yjs'
import { CARDS, cardsOf } from '../../model/layout.js'
import type { DecodedUpdate } from './update-scope.js'

export interface BoardLimitSettings {
  /** Cards a board may hold, deleted ones included (0: no limit). */
  maxCards: number
  /** Bytes a board may take in storage: its snapshot plus its log (0: no limit). */
  maxBytes: number
}

/** An update that would take a board past its limits: refused whole, for every role (close code 4413). */
export class BoardFull extends Error {}

/** An update that adds nothing, only deletes. */
function onlyDeletes(update: Uint8Array, structs?: DecodedUpdate['structs'] | null): boolean {
  return (structs ?? Y.decodeUpdate(update).structs).length === 0
}

/** What an accepted update holds of the budget until it is stored (or failed). */
export interface Reservation {
  bytes: number
  cards: number
}

/**
 * Keeps one board within its limits on cards and size, so that nobody can grow a board (and the disk)
 * without bound. The size counted is what storage holds: the snapshot and every update appended since,
 * plus updates accepted and being stored; a compaction brings it back to the new snapshot's size.
 */
export class BoardBudget {
  private storedBytes = 0
  private pendingBytes = 0
  private pendingCards = 0

  constructor(
    private readonly doc: Y.Doc,
    private readonly settings: BoardLimitSettings,
  ) {}

  /** The board's size in storage now (snapshot plus log), as loaded or last compacted and appended. */
  get bytes(): number {
    return this.storedBytes + this.pendingBytes
  }

  loaded(bytes: number): void {
    this.storedBytes = bytes
  }

  /**
   * Reserves room for an update, or throws BoardFull saying which limit it would pass. `structs`:
   * the update decoded, when the caller already has it.
   */
  admit(update: Uint8Array, structs?: DecodedUpdate['structs'] | null): Reservation {
    const { maxBytes, maxCards } = this.settings
    if (maxBytes > 0 && this.bytes + update.length > maxBytes && !onlyDeletes(update, structs)) {
      // Deleting stays possible on a full board: it frees room at the next compaction.
      throw new BoardFull(`board full: at most ${maxBytes} bytes`)
    }
    const cards = maxCards > 0 ? this.newCards(update, structs) : 0
    if (cards > 0 && cardsOf(this.doc).size + this.pendingCards + cards > maxCards) {
      throw new BoardFull(`board full: at most ${maxCards} cards`)
    }
    this.pendingBytes += update.length
    this.pendingCards += cards
    return { bytes: update.length, cards }
  }

  /** The reserved update was stored (`true`) or refused by storage (`false`). */
  settle(reservation: Reservation, stored: boolean): void {
    this.pendingBytes -= reservation.bytes
    this.pendingCards -= reservation.cards
    if (stored) this.storedBytes += reservation.bytes
  }

  /** What storage holds of the board now: its snapshot and the updates stored since (not the pending ones). */
  get stored(): number {
    return this.storedBytes
  }

  /**
   * The log was compacted into a snapshot of `snapshotBytes`, made when storage held `coveredBytes`
   * (`stored` then; by default now): what was stored after the snapshot was made stays counted.
   */
  compacted(snapshotBytes: number, coveredBytes = this.storedBytes): void {
    this.storedBytes += snapshotBytes - coveredBytes
  }

  /**
   * Cards an update adds: entries of the `cards` map under keys the board does not have. Each takes
   * bytes of its own, so a small update on a board far from the limit is not decoded at all.
   */
  private newCards(update: Uint8Array, structs?: DecodedUpdate['structs'] | null): number {
    const known = cardsOf(this.doc)
    if (!structs && known.size + this.pendingCards + update.length <= this.settings.maxCards) return 0
    const added = new Set<string>()
    for (const struct of structs ?? Y.decodeUpdate(update).structs) {
      if (!(struct instanceof Y.Item) || (struct.parent as unknown) !== CARDS) continue // a root entry: parent is the root's name
      const key = struct.parentSub
      if (key !== null && !known.has(key)) added.add(key)
    }
    return added.size
  }
}
