/** The board model: the Y.Doc layout of a board and the operations on it, free of any framework. */
export * from './board.js'
export * from './cards.js'
export * from './export.js'
export * from './import.js'
export { CARDS, CardKey, META, MetaKey, SCHEMA_VERSION, templateOf } from './layout.js'
export * from './read.js'
export * from './template.js'
