const WORDS = [
  'regionale',
  'samenwerking',
  'woningen',
  'zorg',
  'onderwijs',
  'Westfriesland',
  'arbeidsmarkt',
  'acties',
]

/** Deterministic Dutch-looking text of exactly `n` characters for benchmark boards. */
export function benchText(n: number, seed: number, stride: number): string {
  let out = ''
  for (let i = 0; out.length < n; i++) out += `${WORDS[(seed + i * stride) % WORDS.length]} `
  return out.slice(0, n)
}
