import { useEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import {
  isRunning,
  pauseTimer,
  remainingAt,
  resetTimer,
  resumeTimer,
  startTimer,
} from '../../../model/timer.js'
import { BUTTON, TEXTBOX } from '../../controls.js'
import { useI18n } from '../../i18n.js'
import { useAnnounce } from '../announcements/announcer.js'
import { useTimer } from '../hooks.js'
import { measureServerClock, serverClockOffset, serverNow } from '../session/serverClock.js'
import { LOCAL } from '../session/session.js'

/** The timer everyone sees (server time), with the facilitator's controls and a gentle signal at the end. */
export function Timer({ doc, isFacilitator }: { doc: Y.Doc; isFacilitator: boolean }) {
  const { t } = useI18n()
  const timer = useTimer(doc)
  const [now, setNow] = useState(serverNow)
  const [minutes, setMinutes] = useState(5)
  const signalled = useRef<number | null>(null)
  const announce = useAnnounce()

  // The server's clock is measured (three requests) once a timer is set: without one nothing shows it,
  // and a render for nothing costs a phone (and the board's render counts, [SP5]).
  const hasTimer = Boolean(timer)
  useEffect(() => {
    if (hasTimer) void measureServerClock().then(() => setNow(serverNow()))
  }, [hasTimer])
  useEffect(() => {
    if (!isRunning(timer)) return
    const tick = setInterval(() => setNow(serverNow()), 250)
    return () => clearInterval(tick)
  }, [timer])

  const left = timer ? remainingAt(timer, now) : null
  useEffect(() => {
    if (!timer?.endsAt || left !== 0 || signalled.current === timer.endsAt) return
    signalled.current = timer.endsAt
    chime()
    announce(t.timeUp)
  }, [timer, left, announce, t])

  const seconds = left === null ? null : Math.ceil(left / 1000)
  const shown =
    seconds === null ? null : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
  return (
    <div
      className="timer"
      data-running={isRunning(timer)}
      data-remaining-seconds={left === null ? '' : Math.ceil(left / 1000)}
      // When the running timer ends by this browser's own clock: comparable between browsers.
      data-ends-at-local={timer?.endsAt == null ? '' : timer.endsAt - serverClockOffset()}
    >
      {shown !== null && (
        <span
          className={left === 0 ? 'timer-value timer-done' : 'timer-value'}
          role="timer"
          aria-label={t.timer}
        >
          {shown}
        </span>
      )}
      {left === 0 && <span className="timer-up">{t.timeUp}</span>}
      {isFacilitator && (
        <span className="timer-controls">
          {!timer && (
            <>
              <label>
                {t.minutes}{' '}
                <input
                  className={`${TEXTBOX} timer-minutes`}
                  type="number"
                  min={1}
                  max={180}
                  value={minutes}
                  onChange={(e) => setMinutes(Number(e.target.value) || 1)}
                />
              </label>
              <button
                className={BUTTON}
                type="button"
                data-action="timer-start"
                onClick={() => startTimer(doc, minutes * 60_000, serverNow(), LOCAL)}
              >
                {t.start}
              </button>
            </>
          )}
          {timer && isRunning(timer) && (
            <button
              className={BUTTON}
              type="button"
              data-action="timer-pause"
              onClick={() => pauseTimer(doc, serverNow(), LOCAL)}
            >
              {t.pause}
            </button>
          )}
          {timer && !isRunning(timer) && (left ?? 0) > 0 && (
            <button
              className={BUTTON}
              type="button"
              data-action="timer-resume"
              onClick={() => resumeTimer(doc, serverNow(), LOCAL)}
            >
              {t.resume}
            </button>
          )}
          {timer && (
            <button
              className={BUTTON}
              type="button"
              data-action="timer-reset"
              onClick={() => resetTimer(doc, LOCAL)}
            >
              {t.reset}
            </button>
          )}
        </span>
      )}
    </div>
  )
}

/** A soft two-note chime, made in the browser (no sound file to fetch). */
function chime(): void {
  try {
    const audio = new AudioContext()
    for (const [i, frequency] of [660, 880].entries()) {
      const oscillator = audio.createOscillator()
      const gain = audio.createGain()
      oscillator.frequency.value = frequency
      gain.gain.setValueAtTime(0.0001, audio.currentTime + i * 0.25)
      gain.gain.exponentialRampToValueAtTime(0.15, audio.currentTime + i * 0.25 + 0.03)
      gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + i * 0.25 + 0.6)
      oscillator.connect(gain).connect(audio.destination)
      oscillator.start(audio.currentTime + i * 0.25)
      oscillator.stop(audio.currentTime + i * 0.25 + 0.7)
    }
  } catch {
    // No audio: the visual signal remains.
  }
}
