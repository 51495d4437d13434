import type { KubeletFacts } from '../../model/inCluster.js';
import { isUnknown, type Observed } from '../../model/observed.js';
import type { ClusterPosture } from '../../model/posture.js';
import type { Verdict } from '../types.js';
import { inClusterFacts, listed } from './inCluster.js';
import { fail, notApplicable, pass, unknownVerdict } from './verdict.js';

/** One kubelet setting from configz, and what makes its value non-compliant. */
export interface KubeletSetting {
  readonly observe: (kubelet: KubeletFacts) => Observed<unknown>;
  /** Why the kubelet's value fails; undefined when it complies or was not read. */
  readonly problem: (kubelet: KubeletFacts) => string | undefined;
}

export function kubeletSetting<T>(
  observe: (kubelet: KubeletFacts) => Observed<T>,
  problem: (value: T) => string | undefined,
): KubeletSetting {
  return {
    observe,
    problem: (kubelet) => {
      const observed = observe(kubelet);
      return isUnknown(observed) ? undefined : problem(observed.value);
    },
  };
}

/** Settings of the kubelet a check reads on each sampled node. */
export interface KubeletRule {
  /** Names the settings in messages: `read-only port`. */
  readonly setting: string;
  readonly settings: readonly KubeletSetting[];
  /** The pass message's start: `The read-only port is closed`. */
  readonly compliant: string;
}

/**
 * Judges the kubelets the in-cluster pass sampled (at most N per pool): a non-compliant one
 * fails, an unreadable one leaves the check unknown, and nodes without any sample are unknown too.
 */
export function evaluateKubelets(cluster: ClusterPosture, rule: KubeletRule): Verdict {
  const read = inClusterFacts(cluster);
  if (!('facts' in read)) return read;
  const { kubelets, nodeCount } = read.facts;
  if (isUnknown(nodeCount)) return unknownVerdict('The nodes of the cluster', nodeCount);
  if (nodeCount.value === 0) return notApplicable('The cluster has no node, so no kubelet runs.', nodeCount);
  if (isUnknown(kubelets)) return unknownVerdict('Kubelet configuration (configz)', kubelets);
  if (kubelets.value.length === 0) {
    const none = { unknown: `no kubelet was sampled among the ${nodeCount.value} node(s)` };
    return unknownVerdict('Kubelet configuration (configz)', none, nodeCount);
  }
  const readings = kubelets.value.flatMap((kubelet) =>
    rule.settings.map((setting) => ({
      kubelet,
      observed: setting.observe(kubelet),
      problem: setting.problem(kubelet),
    })),
  );
  const failing = readings.flatMap(({ kubelet, observed, problem }) =>
    problem === undefined ? [] : [{ kubelet, observed, problem }],
  );
  if (failing.length > 0) {
    const where = failing.map(({ kubelet, problem }) => `${kubelet.node} (${problem})`);
    return fail(
      `The kubelet ${rule.setting} is not compliant on ${listed(where)}.`,
      ...failing.map(({ observed }) => observed),
    );
  }
  const [unread] = readings.flatMap(({ kubelet, observed }) =>
    isUnknown(observed) ? [{ kubelet, cause: observed }] : [],
  );
  if (unread)
    return unknownVerdict(`The kubelet ${rule.setting} of node ${unread.kubelet.node}`, unread.cause);
  return pass(
    `${rule.compliant} on every sampled kubelet (${kubelets.value.length} of ${nodeCount.value} node(s), at most a few per pool).`,
    ...readings.map(({ observed }) => observed),
  );
}
