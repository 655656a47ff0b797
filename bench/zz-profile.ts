// ad-hoc (not part of the bench): profile our server under N clients, scenario given by env
import { prepareOurs, prepareReference, timedJoin } from './lib/clients.js'
import { LoadPool } from './lib/load-pool.js'
import { cpuSeconds, summarize } from './lib/proc.js'
import { startOurs, startReference } from './lib/servers.js'

const N = Number(process.env.N ?? 200)
const WRITERS = Number(process.env.W ?? 5)
const RATE = Number(process.env.R ?? 10)
const BIG = Number(process.env.BIG ?? 0)
const JOINS = Number(process.env.J ?? 0)
const KIND = process.env.KIND ?? 'ours'
const ns = () => process.hrtime.bigint()
const pool = await LoadPool.start(2)
const server = KIND === 'ours' ? await startOurs() : await startReference()
const seedS = KIND === 'ours' ? server : await startOurs()
const ourRoom = await prepareOurs(seedS, BIG)
if (seedS !== server) await seedS.stop()
const room = KIND === 'ours' ? ourRoom : await prepareReference(server, ourRoom)
const ramp = Number(process.env.RAMP ?? 15000)
const t0 = ns() + 100_000_000n
await pool.connect({
  wsUrl: server.wsUrl,
  total: N,
  room: () => room.room,
  token: () => room.token,
  rampStart: String(t0),
  rampMs: ramp,
  waitCards: room.writerCards,
  presence: true,
})
const start = ns() + 1_000_000_000n
const c0 = cpuSeconds(server.pid)
pool.run(
  Array.from({ length: WRITERS }, (_, w) => ({
    client: w,
    writer: w,
    cardId: room.writerCards[w] as string,
    rate: RATE,
    count: RATE * 10,
    start: String(start),
    phaseMs: (w * 1000) / RATE / WRITERS,
  })),
)
const joins = []
for (let j = 0; j < JOINS; j++) {
  await new Promise((r) => setTimeout(r, 1000))
  joins.push(await timedJoin(server, room))
}
await new Promise((r) => setTimeout(r, Number(start - ns()) / 1e6 + 12_000 - JOINS * 1000))
const s = await pool.collect()
console.log(
  'latency',
  summarize(s.latencies),
  'server cpu',
  cpuSeconds(server.pid) - c0,
  'lag',
  summarize(s.writerLagMs).max,
)
if (joins.length)
  console.log(
    'joins',
    joins.map((j) => `${j.totalMs.toFixed(0)}=${j.serverMs.toFixed(0)}+${j.applyMs.toFixed(0)}`).join(' '),
  )
import('node:fs').then((fs) => {
  for (const t of fs.readdirSync(`/proc/${server.pid}/task`)) {
    const st = fs.readFileSync(`/proc/${server.pid}/task/${t}/stat`, 'utf8')
    const comm = fs.readFileSync(`/proc/${server.pid}/task/${t}/comm`, 'utf8').trim()
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ')
    console.log('thread', t, comm, (Number(f[11]) + Number(f[12])) / 100)
  }
})
await new Promise((r) => setTimeout(r, 200))
await pool.close()
await server.stop()
await pool.exit()
process.exit(0)
