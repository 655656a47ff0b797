export interface ClientConfig {
  tldrawLicenseKey: string | null
}

const KEY = 'werkbord.client-config'

let asked: Promise<ClientConfig> | null = null

/**
 * Settings the deployer gives the browser (the tldraw licence key); the last known ones when offline.
 * Asked once per page.
 */
export function fetchClientConfig(): Promise<ClientConfig> {
  asked ??= askClientConfig()
  return asked
}

async function askClientConfig(): Promise<ClientConfig> {
  try {
    const res = await fetch('/api/client-config')
    if (!res.ok) throw new Error(String(res.status))
    const config = (await res.json()) as ClientConfig
    localStorage.setItem(KEY, JSON.stringify(config))
    return config
  } catch {
    const cached = localStorage.getItem(KEY)
    return cached ? (JSON.parse(cached) as ClientConfig) : { tldrawLicenseKey: null }
  }
}

/**
 * Whether tldraw will run here. Without a licence key it blanks its canvas a few seconds after load on
 * an https origin other than localhost (tldraw 5.1); on http and on localhost it runs with a watermark.
 */
export function canvasAllowed(config: ClientConfig, where: Location = location): boolean {
  if (config.tldrawLicenseKey) return true
  return where.protocol !== 'https:' || where.hostname === 'localhost'
}
