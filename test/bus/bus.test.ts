import { afterAll, beforeAll } from 'vitest'
import { LocalHub } from '../../server/bus/local-bus.js'
import { RedisBus } from '../../server/bus/redis-bus.js'
import { type RedisServer, startRedis } from '../services/redis.js'
import { busContract } from './contract.js'

busContract('LocalBus (one process)', async () => {
  const hub = new LocalHub()
  const buses = [hub.connect(), hub.connect(), hub.connect()] as const
  return {
    buses: [...buses],
    interrupt: async () => hub.interrupt(),
    close: async () => {
      for (const bus of buses) await bus.close()
    },
  }
})

let redis: RedisServer
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(() => redis?.destroy())

busContract('RedisBus (throwaway redis-server)', async () => {
  const buses = await Promise.all([0, 1, 2].map(() => RedisBus.connect(redis.url)))
  return {
    buses: buses as [RedisBus, RedisBus, RedisBus],
    interrupt: async () => {
      await redis.kill()
      await redis.start()
    },
    close: async () => {
      for (const bus of buses) await bus.close()
    },
  }
})
