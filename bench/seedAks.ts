import type { ArmPeer } from '../test/peers/azure/armPeer.js';
import { generatedDiagnosticSetting, generatedManagedCluster } from '../test/peers/azure/generate.js';

/** An AKS cluster the benchmarks put into the ARM peer, and where. */
export interface BenchAksCluster {
  readonly subscription: string;
  readonly location: string;
  readonly name: string;
}

/** Options of seedAksBenchFleet. */
export interface AksBenchFleet {
  readonly count: number;
  /** Clusters go round-robin over the subscriptions, then over the locations. */
  readonly subscriptions: readonly string[];
  readonly locations: readonly string[];
}

/**
 * Puts `count` generated managed clusters into the peer, every other one with an audit
 * diagnostic setting, so a scan sees both answers of the diagnostic settings call.
 */
export function seedAksBenchFleet(peer: ArmPeer, fleet: AksBenchFleet): BenchAksCluster[] {
  if (fleet.subscriptions.length === 0 || fleet.locations.length === 0)
    throw new Error('seedAksBenchFleet needs at least one subscription and one location');
  return Array.from({ length: fleet.count }, (_, index) => {
    const subscription = fleet.subscriptions[index % fleet.subscriptions.length] ?? '';
    const location =
      fleet.locations[Math.floor(index / fleet.subscriptions.length) % fleet.locations.length] ?? '';
    const name = `bench-${String(index).padStart(5, '0')}`;
    const cluster = generatedManagedCluster({ subscription, name, location });
    peer.addCluster(cluster);
    const id = String(cluster.id);
    if (index % 2 === 0)
      peer.setDiagnosticSettings(id, [generatedDiagnosticSetting(id, 'audit', ['kube-audit'])]);
    return { subscription, location, name };
  });
}
