// The title and themes of a card are model readings (model/views/title.ts), shared with the views' pictures.
export { cardThemes, cardTitle } from '../../model/views/title.js'
