// The facilitator's panels, one chunk loaded only on a facilitator's page (see lazyParts.tsx): who is
// connected, invitations (with the printable sheet and its QR codes), export/import and save as
// template, the voting settings.
export { ExchangePanel } from './ExchangePanel.js'
export { InvitationsPanel } from './InvitationsPanel.js'
export { PeoplePanel } from './PeoplePanel.js'
export { VotingSettingsPanel } from './VotingSettingsPanel.js'
