import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { LINK_KINDS, LINKS, type LinkKind, linkCards, listLinks, unlink } from '../../model/links.js'
import { LOCAL } from '../board/session/session.js'
import { BUTTON_SUBTLE, SELECT } from '../controls.js'
import { useI18n } from '../i18n.js'
import { CardNumberAction } from './CardNumberInput.js'

/** The links of all cards, re-read whenever a link is made or removed. */
export function useLinks(doc: Y.Doc) {
  const [links, setLinks] = useState(() => listLinks(doc))
  useEffect(() => {
    const map = doc.getMap(LINKS)
    const update = () => setLinks(listLinks(doc))
    map.observe(update)
    return () => map.unobserve(update)
  }, [doc])
  return links
}

/** On a card: its koppelkansen and dilemma's; the facilitator links and unlinks. */
export function CardLinks(props: {
  doc: Y.Doc
  cardId: string
  numbers: Map<string, number>
  editable: boolean
}) {
  const { t } = useI18n()
  const { doc, cardId, numbers, editable } = props
  const links = useLinks(doc).filter(
    (link) => (link.from === cardId || link.to === cardId) && numbers.has(link.from) && numbers.has(link.to),
  )
  const [kind, setKind] = useState<LinkKind>('koppelkans')
  if (links.length === 0 && !editable) return null
  return (
    <div className="links">
      {links.length > 0 && (
        <ul aria-label={t.cardLinks}>
          {links.map((link) => {
            const other = link.from === cardId ? link.to : link.from
            const what = `${t.linkKinds[link.kind]} ${numbers.get(other)}`
            return (
              <li key={link.id} className={`link link-${link.kind}`}>
                {what}
                {editable && (
                  <button
                    type="button"
                    className={`${BUTTON_SUBTLE} link`}
                    aria-label={t.unlink(what)}
                    onClick={() => unlink(doc, link.id, LOCAL)}
                  >
                    ×
                  </button>
                )}
              </li>
            )
          })}
        </ul>
      )}
      {editable && (
        <div className="link-add">
          <select
            className={SELECT}
            aria-label={t.cardLinks}
            value={kind}
            onChange={(e) => setKind(e.target.value as LinkKind)}
          >
            {LINK_KINDS.map((k) => (
              <option key={k} value={k}>
                {t.linkKinds[k]}
              </option>
            ))}
          </select>
          <CardNumberAction
            label={t.linkTarget}
            numbers={numbers}
            exclude={cardId}
            action="link"
            buttonLabel={t.linkAdd}
            onPick={(target) => linkCards(doc, cardId, target, kind, '', LOCAL)}
          />
        </div>
      )}
    </div>
  )
}
