/**
 * The NL Design System (Utrecht) component classes our controls carry, in one place: their look comes
 * from the `@utrecht/*-css` packages and the design tokens (client/styles.css, an organisation's
 * THEME_CSS; docs/theming.md). A button is an ordinary action unless it is the screen's main one.
 */

/** An ordinary action: the panels, the header, the toolbars, the card editor. */
export const BUTTON = 'utrecht-button utrecht-button--secondary-action'
/** The screen's main action (join, new card, create, import). */
export const BUTTON_PRIMARY = 'utrecht-button utrecht-button--primary-action'
/** A quiet action beside text, without a border (remove an item, remove a link). */
export const BUTTON_SUBTLE = 'utrecht-button utrecht-button--subtle'
/** Asking to delete (a confirmation follows): an ordinary button in the danger colour. */
export const BUTTON_DANGER_ASK = 'utrecht-button utrecht-button--secondary-action utrecht-button--danger'
/** Deleting for everyone, after a confirmation. */
export const BUTTON_DANGER = 'utrecht-button utrecht-button--primary-action utrecht-button--danger'
/** A one-line text or number field. */
export const TEXTBOX = 'utrecht-textbox utrecht-textbox--html-input'
/** A multi-line text field. */
export const TEXTAREA = 'utrecht-textarea utrecht-textarea--html-textarea'
/** A choice from a list. */
export const SELECT = 'utrecht-select utrecht-select--html-select'
