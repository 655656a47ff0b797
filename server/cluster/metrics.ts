import { Counter, Registry } from 'prom-client'

/** Figures of the cluster wiring, per instance (each instance serves its own /metrics). */
export const clusterRegistry = new Registry()

export const busMessages = new Counter({
  name: 'werkbord_bus_messages_total',
  help: 'Messages over the bus between instances, by direction (in/out) and kind (update/awareness)',
  labelNames: ['direction', 'kind'] as const,
  registers: [clusterRegistry],
})

export const catchUps = new Counter({
  name: 'werkbord_catchups_total',
  help: 'Reads from PostgreSQL of updates a board missed on the bus, by cause (gap/check/resume)',
  labelNames: ['cause'] as const,
  registers: [clusterRegistry],
})

export const caughtUpUpdates = new Counter({
  name: 'werkbord_caught_up_updates_total',
  help: 'Updates read from PostgreSQL because they had not arrived over the bus',
  registers: [clusterRegistry],
})
