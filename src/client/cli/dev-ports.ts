import { ConfigError, type Env } from '../../config';
import type { DevSettings } from '../../config/dev';
import { devPortClaim, devPortMoveWith } from '../../config/dev-options';
import { PROVIDER_IDS, type ProviderId } from '../../contract/providers';
import type { PortClaim } from '../../devserver/ports';
import { sandboxPorts } from '../../sandbox/stack';
import { splitHostPort } from '../../worker/health';

/** Where `npm start` listens: each service's port (and the metrics bind address). */
export interface DevPlan {
  sandbox: Record<ProviderId | 'merchant', number>;
  /** host:port of the Prometheus endpoint (METRICS_BIND_ADDRESS when set, else 127.0.0.1:<metrics port>). */
  metrics: string;
  claims: PortClaim[];
}

/** Every port `npm start` will listen on, each with the option that moves it; the local server's only when it runs one. */
export function devPlan(
  settings: DevSettings,
  metricsBindAddress: Env['METRICS_BIND_ADDRESS'],
  localServer: boolean,
): DevPlan {
  const base = settings.ports.sandbox;
  const last = base + PROVIDER_IDS.length;
  if (last > 65535) {
    throw new ConfigError(
      `invalid configuration: DEV_SANDBOX_PORT (--sandbox-port) must leave room for ${PROVIDER_IDS.length + 1} ports ` +
        `(at most ${65535 - PROVIDER_IDS.length})`,
    );
  }
  const sandbox = sandboxPorts(base);
  const note = `(the sandbox takes ${base}-${last})`;
  const claims: PortClaim[] = [];
  const own = (name: 'temporal' | 'ui' | 'codec') => claims.push(devPortClaim(name, settings.ports[name]));
  if (localServer) {
    own('temporal');
    own('ui');
  }
  own('codec');
  for (const [id, port] of Object.entries(sandbox)) {
    const what = id === 'merchant' ? 'merchant webhook receiver' : `${id} simulator`;
    claims.push({ port, host: '127.0.0.1', what, moveWith: devPortMoveWith('sandbox'), note });
  }
  const metrics = metricsBindAddress ?? `127.0.0.1:${settings.ports.metrics}`;
  claims.push({
    ...splitHostPort(metrics),
    what: 'metrics',
    moveWith: metricsBindAddress
      ? 'METRICS_BIND_ADDRESS (it is set, and wins over --metrics-port)'
      : devPortMoveWith('metrics'),
  });
  return { sandbox, metrics, claims };
}
