/** Derived views of a board (theme matrix, planning roadmap, vote ranking) and their SVG pictures. */
export * from './matrix.js'
export * from './matrix-svg.js'
export * from './planning.js'
export * from './planning-svg.js'
export * from './ranking.js'
export * from './ranking-svg.js'
export * from './svg.js'
export * from './title.js'
