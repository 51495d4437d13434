import type { ConfiguredConcurrency } from '../providers/limit.js';
import type { AwsPeer } from '../test/peers/aws/awsPeer.js';
import type { ArmPeer } from '../test/peers/azure/armPeer.js';
import type { GkePeer } from '../test/peers/gcp/gkePeer.js';
import { seedGkeFleet } from '../test/peers/gcp/seed.js';
import type { ReplayCall } from './replay.js';
import { seedAksBenchFleet } from './seedAks.js';
import { type BenchEksCluster, seedEksBenchFleet } from './seedEks.js';

/** The clouds `npm run bench` scans live. */
export const LIVE_CLOUDS = ['eks', 'gke', 'aks'] as const;
export type LiveCloud = (typeof LIVE_CLOUDS)[number];

/** The three clouds' peers, started once for the whole benchmark. */
export interface LivePeers {
  readonly aws: AwsPeer;
  readonly gke: GkePeer;
  readonly arm: ArmPeer;
}

/** How an estate's clusters are spread over scopes. */
export type EstateLayout =
  | { readonly cloud: 'eks'; readonly accounts: readonly string[]; readonly regions: readonly string[] }
  | { readonly cloud: 'gke'; readonly projects: readonly string[] }
  | {
      readonly cloud: 'aks';
      readonly subscriptions: readonly string[];
      readonly locations: readonly string[];
    };

/** The spreads of the per-cloud benches (bench/eksScale.ts, gkeScale.ts, aksScale.ts). */
export const SPREAD_LAYOUTS: Readonly<Record<LiveCloud, EstateLayout>> = {
  eks: { cloud: 'eks', accounts: ['111111111111', '222222222222'], regions: ['us-east-1', 'eu-west-1'] },
  gke: {
    cloud: 'gke',
    projects: Array.from({ length: 10 }, (_, index) => `bench-${String(index + 1).padStart(3, '0')}`),
  },
  aks: {
    cloud: 'aks',
    subscriptions: [
      '00000000-0000-4000-8000-0000000000b1',
      '00000000-0000-4000-8000-0000000000b2',
      '00000000-0000-4000-8000-0000000000b3',
      '00000000-0000-4000-8000-0000000000b4',
    ],
    locations: ['westeurope', 'northeurope', 'eastus'],
  },
};

/** Issue 14's estate: every EKS cluster in one account and one region, the scope kubeline held to 8 calls. */
export const ONE_REGION_LAYOUT: EstateLayout = {
  cloud: 'eks',
  accounts: ['111111111111'],
  regions: ['us-east-1'],
};

/** A seeded estate and how kubeline scans it. */
export interface SeededEstate {
  readonly cloud: LiveCloud;
  readonly clusters: number;
  /** `2 accounts × 2 regions`, `10 projects`, … */
  readonly scopes: string;
  /** The kubeline config (`targets`) that scans it. */
  readonly config: Readonly<Record<string, unknown>>;
  /** What the CLI needs in its environment besides PATH and HOME. */
  readonly env: Readonly<Record<string, string>>;
  /** The EKS clusters, for the AWS CLI loop. */
  readonly eksClusters: readonly BenchEksCluster[];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `targets.<cloud>.concurrency` when the run overrides kubeline's defaults. */
function concurrencyKey(concurrency: ConfiguredConcurrency | undefined) {
  return concurrency === undefined ? {} : { concurrency: { ...concurrency } };
}

/**
 * Empties the cloud's peer and seeds `count` clusters spread as `layout` says, with the calls of
 * the per-cloud benches' seeders; returns the config and environment that scan them.
 */
export async function seedEstate(
  peers: LivePeers,
  layout: EstateLayout,
  count: number,
  concurrency?: ConfiguredConcurrency,
): Promise<SeededEstate> {
  switch (layout.cloud) {
    case 'eks': {
      await peers.aws.reset();
      const seeded = await seedEksBenchFleet(peers.aws, { count, ...layout });
      return {
        cloud: 'eks',
        clusters: count,
        scopes: `${plural(layout.accounts.length, 'account')} × ${plural(layout.regions.length, 'region')}`,
        config: {
          targets: {
            eks: {
              regions: [...layout.regions],
              accounts: layout.accounts.map((id) => ({
                id,
                roleArn: `arn:aws:iam::${id}:role/kubeline-read`,
              })),
              ...concurrencyKey(concurrency),
            },
          },
        },
        env: { AWS_ENDPOINT_URL: peers.aws.endpoint, AWS_REGION: 'us-east-1' },
        eksClusters: seeded,
      };
    }
    case 'gke': {
      peers.gke.reset();
      seedGkeFleet(peers.gke, { count, projects: layout.projects, prefix: 'bench' });
      return {
        cloud: 'gke',
        clusters: count,
        scopes: plural(layout.projects.length, 'project'),
        config: {
          targets: {
            gke: {
              projects: [...layout.projects],
              apiEndpoint: peers.gke.endpoint,
              ...concurrencyKey(concurrency),
            },
          },
        },
        env: {},
        eksClusters: [],
      };
    }
    case 'aks': {
      peers.arm.reset();
      seedAksBenchFleet(peers.arm, { count, ...layout });
      return {
        cloud: 'aks',
        clusters: count,
        scopes: `${plural(layout.subscriptions.length, 'subscription')}, ${plural(layout.locations.length, 'location')}`,
        config: {
          targets: {
            aks: {
              subscriptions: [...layout.subscriptions],
              endpoint: peers.arm.endpoint,
              ...concurrencyKey(concurrency),
            },
            tls: { caFile: peers.arm.caFile },
          },
        },
        env: {},
        eksClusters: [],
      };
    }
  }
}

/** Forgets the requests each peer logged, so the next log is one scan's. */
export function clearPeerLogs(peers: LivePeers): void {
  peers.aws.clearCalls();
  peers.gke.clearCalls();
  peers.arm.clearCalls();
}

/**
 * The requests a scan made, from the peer's own log, in the order received, with the scope each
 * belongs to: what the replay sends again.
 */
export function recordedCalls(peers: LivePeers, cloud: LiveCloud): ReplayCall[] {
  switch (cloud) {
    case 'eks':
      return peers.aws.callDetails().map((call) => ({
        cloud: 'eks',
        scope: `${call.account} ${call.region}`,
        service: call.service,
        operation: call.operation,
        account: call.account,
        region: call.region,
        method: call.method,
        url: call.url,
        body: call.body,
        status: call.status,
      }));
    case 'gke':
      return peers.gke.calls().map((call) => ({
        cloud: 'gke',
        scope: call.project ?? '',
        method: call.method,
        resource: call.resource,
        status: call.code,
      }));
    case 'aks':
      return peers.arm.calls().map((call) => ({
        cloud: 'aks',
        scope: call.subscription ?? '',
        method: call.method,
        url: call.url,
        status: call.status,
      }));
  }
}
