import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  isRunning,
  pauseTimer,
  readSpotlight,
  readTimer,
  remainingAt,
  resetTimer,
  resumeTimer,
  setSpotlight,
  startTimer,
} from '../../model/timer.js'

describe('timer (server time)', () => {
  it('[TM1] runs, pauses with what is left, resumes from there, and resets', () => {
    const doc = new Y.Doc()
    expect(readTimer(doc)).toBeNull()
    startTimer(doc, 300_000, 1_000_000)
    let timer = readTimer(doc)
    expect(isRunning(timer)).toBe(true)
    expect(remainingAt(timer as NonNullable<typeof timer>, 1_060_000)).toBe(240_000)
    pauseTimer(doc, 1_060_000)
    timer = readTimer(doc)
    expect(isRunning(timer)).toBe(false)
    expect(remainingAt(timer as NonNullable<typeof timer>, 9_999_999)).toBe(240_000) // paused: time stands still
    resumeTimer(doc, 2_000_000)
    expect(remainingAt(readTimer(doc) as NonNullable<typeof timer>, 2_240_000)).toBe(0)
    expect(remainingAt(readTimer(doc) as NonNullable<typeof timer>, 2_500_000)).toBe(0)
    resetTimer(doc)
    expect(readTimer(doc)).toBeNull()
  })

  it('[TM2] two browsers with different clocks show the same time, computed from the server clock', () => {
    const doc = new Y.Doc()
    const serverNow = 5_000_000
    startTimer(doc, 60_000, serverNow)
    const timer = readTimer(doc) as NonNullable<ReturnType<typeof readTimer>>
    // Each browser adds its measured offset to its own clock: both arrive at the server's time.
    const browserA = { clock: serverNow - 7_000, offset: 7_000 }
    const browserB = { clock: serverNow + 42_000, offset: -42_000 }
    expect(remainingAt(timer, browserA.clock + browserA.offset)).toBe(
      remainingAt(timer, browserB.clock + browserB.offset),
    )
  })

  it('[TM3] the spotlight is one card or none', () => {
    const doc = new Y.Doc()
    expect(readSpotlight(doc)).toBeNull()
    setSpotlight(doc, 'kaart-1')
    expect(readSpotlight(doc)).toBe('kaart-1')
    setSpotlight(doc, null)
    expect(readSpotlight(doc)).toBeNull()
  })
})
