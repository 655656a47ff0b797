import pino, { type Logger } from 'pino'

export type { Logger }

/** JSON logs on stdout. Tokens never reach a log line: requests are logged by path, without query. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'werkbord' },
    redact: {
      paths: ['token', '*.token', 'tokens', '*.tokens', 'authorization', '*.authorization'],
      censor: '[redacted]',
    },
  })
}
