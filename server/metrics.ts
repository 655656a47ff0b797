import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/**
 * Operational figures in Prometheus format (`GET /metrics`): rooms, connections, messages and bytes in
 * and out, how long durable appends take, and messages refused by reason. Never any board content,
 * id or token. The counters are per process (the modules that count them are shared by every server
 * in it); rooms and connections are read from the app when scraped.
 */
const counters = new Registry()

export const traffic = {
  messagesIn: new Counter({
    name: 'werkbord_messages_in_total',
    help: 'WebSocket messages received',
    registers: [counters],
  }),
  messagesOut: new Counter({
    name: 'werkbord_messages_out_total',
    help: 'WebSocket messages sent',
    registers: [counters],
  }),
  bytesIn: new Counter({
    name: 'werkbord_bytes_in_total',
    help: 'WebSocket bytes received',
    registers: [counters],
  }),
  bytesOut: new Counter({
    name: 'werkbord_bytes_out_total',
    help: 'WebSocket bytes sent',
    registers: [counters],
  }),
  received(bytes: number): void {
    traffic.messagesIn.inc()
    traffic.bytesIn.inc(bytes)
  },
  sent(bytes: number): void {
    traffic.messagesOut.inc()
    traffic.bytesOut.inc(bytes)
  },
}

export const appendSeconds = new Histogram({
  name: 'werkbord_append_seconds',
  help: 'Time to make one batch of updates durable (one SQLite transaction with fsync)',
  buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
  registers: [counters],
})

export const appendedUpdates = new Counter({
  name: 'werkbord_appended_updates_total',
  help: 'Updates made durable',
  registers: [counters],
})

export const rejected = new Counter({
  name: 'werkbord_rejected_total',
  help: 'Messages or connections refused, by reason',
  labelNames: ['reason'] as const,
  registers: [counters],
})

collectDefaultMetrics({ register: counters, prefix: 'werkbord_process_' })

/** The registry an app serves: the process counters plus its own rooms and connections. */
export function appMetrics(gauges: { rooms: () => number; connections: () => number }): Registry {
  const own = new Registry()
  new Gauge({
    name: 'werkbord_rooms',
    help: 'Boards loaded in memory',
    registers: [own],
    collect() {
      this.set(gauges.rooms())
    },
  })
  new Gauge({
    name: 'werkbord_connections',
    help: 'Open WebSocket connections',
    registers: [own],
    collect() {
      this.set(gauges.connections())
    },
  })
  return Registry.merge([counters, own])
}
