import { complianceFor } from '../checks/frameworks/cis.js';
import { ruleFor } from '../checks/ruleFor.js';
import type { Check, EvalContext, Verdict } from '../checks/types.js';
import {
  type ComplianceRef,
  type Finding,
  type Responsibility,
  type Severity,
  severityRank,
} from '../model/finding.js';
import type { SourceField } from '../model/observed.js';
import type { ClusterPosture } from '../model/posture.js';

/** Which checks run and at what severity, from `checks.disable` and `checks.severity`. */
export interface EvaluationOptions {
  readonly disabled?: ReadonlySet<string>;
  readonly severityOverrides?: Readonly<Record<string, Severity>>;
}

function describeThrow(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** The side a check is filed under for a provider it does not apply to: the side it has elsewhere. */
function fallbackResponsibility(check: Check): Responsibility {
  for (const entry of Object.values(check.providers)) {
    if ('responsibility' in entry) return entry.responsibility;
  }
  return 'customer';
}

/**
 * The user's `checks.severity` replaces the check's default. A verdict may set its own severity only
 * to escalate one finding (VER-01 is critical once a version is past the end of all support): that
 * stands when it is more severe than the user's choice, and otherwise the user's choice wins.
 */
function findingSeverity(check: Check, options: EvaluationOptions, verdict?: Verdict): Severity {
  const chosen = options.severityOverrides?.[check.id];
  const escalation = verdict?.severity;
  if (chosen === undefined) return escalation ?? check.severity;
  return escalation !== undefined && severityRank(escalation) < severityRank(chosen) ? escalation : chosen;
}

/** Evidence values up to this many characters of JSON are shared between findings that read the same. */
const SHARED_VALUE_MAX = 96;

/**
 * A field's identity for sharing (its path and value as JSON); null when the value is too large to
 * key, or is no JSON at all (a check's defect, which must not stop the run: the field stays its own).
 */
function fieldKey(field: SourceField): string | null {
  let value: unknown;
  try {
    value = JSON.stringify(field.value);
  } catch {
    return null;
  }
  return typeof value === 'string' && value.length <= SHARED_VALUE_MAX ? `${field.path}\u0000${value}` : null;
}

/** What a not-applicable or errored finding holds: one frozen empty list, shared by all of them. */
const NONE: readonly never[] = Object.freeze([]);

/**
 * What the findings of one run have in common, kept once. A 5,000-cluster run has 200,000
 * findings but a few hundred (check, provider) pairs, and checks build their messages from
 * templates over a few values, so the run has a few thousand distinct messages: holding each
 * finding's own copy was a fifth of the findings' memory.
 */
class SharedParts {
  readonly #compliance = new Map<string, readonly ComplianceRef[]>();
  readonly #messages = new Map<string, string>();
  readonly #fields = new Map<string, SourceField>();
  readonly #lists = new Map<string, readonly SourceField[]>();

  /** The benchmark controls of a (check, provider), looked up once per run. */
  compliance(check: Check, cluster: ClusterPosture): readonly ComplianceRef[] {
    const key = `${check.id} ${cluster.provider}`;
    let refs = this.#compliance.get(key);
    if (refs === undefined) {
      refs = Object.freeze(complianceFor(check.id, cluster.provider));
      this.#compliance.set(key, refs);
    }
    return refs;
  }

  /**
   * The run's one copy of an evidence list whose fields are all small (a flag, an enum, a short
   * list): across an estate most clusters' evidence for a check reads the same. A list holding a
   * large value (a policy, an ARN list) is kept as it is: keying it would cost more than it saves.
   */
  evidence(fields: readonly SourceField[]): readonly SourceField[] {
    if (fields.length === 0) return NONE;
    const keys: string[] = [];
    for (const field of fields) {
      const key = fieldKey(field);
      if (key === null) return fields;
      keys.push(key);
    }
    const listKey = keys.join('\u0001');
    const kept = this.#lists.get(listKey);
    if (kept !== undefined) return kept;
    const list = Object.freeze(fields.map((field, index) => this.#field(keys[index] as string, field)));
    this.#lists.set(listKey, list);
    return list;
  }

  #field(key: string, field: SourceField): SourceField {
    const kept = this.#fields.get(key);
    if (kept !== undefined) return kept;
    this.#fields.set(key, field);
    return field;
  }

  /** The run's one copy of a message. */
  message(text: string): string {
    const kept = this.#messages.get(text);
    if (kept !== undefined) return kept;
    this.#messages.set(text, text);
    return text;
  }
}

function evaluateOne(
  check: Check,
  cluster: ClusterPosture,
  ctx: EvalContext,
  options: EvaluationOptions,
  shared: SharedParts,
): Finding {
  const rule = ruleFor(check, cluster);
  const severity = findingSeverity(check, options);
  const common = { checkId: check.id, clusterId: cluster.id, provider: cluster.provider };
  if ('notApplicable' in rule) {
    return {
      ...common,
      status: 'not_applicable',
      severity,
      responsibility: fallbackResponsibility(check),
      message: rule.notApplicable,
      evidence: NONE,
      compliance: NONE,
    };
  }
  const compliance = shared.compliance(check, cluster);
  let verdict: Verdict;
  try {
    verdict = rule.evaluate(ctx);
  } catch (error) {
    // A check that throws is a defect in kubeline, never a pass: record it and keep scanning.
    return {
      ...common,
      status: 'error',
      severity,
      responsibility: rule.responsibility,
      message: `The check failed to evaluate: ${describeThrow(error)}`,
      evidence: NONE,
      compliance,
    };
  }
  return {
    ...common,
    status: verdict.status,
    severity: findingSeverity(check, options, verdict),
    responsibility: verdict.responsibility ?? rule.responsibility,
    message: shared.message(verdict.message),
    evidence: shared.evidence(verdict.evidence),
    compliance,
  };
}

/**
 * Runs every enabled check on every cluster. Every pair yields exactly one finding, in a
 * deterministic order: clusters by id, then checks in catalogue order.
 */
export function evaluateChecks(
  clusters: readonly ClusterPosture[],
  checks: readonly Check[],
  ctx: EvalContext,
  options: EvaluationOptions = {},
): Finding[] {
  const enabled = checks.filter((check) => !options.disabled?.has(check.id));
  const ordered = [...clusters].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const shared = new SharedParts();
  return ordered.flatMap((cluster) =>
    enabled.map((check) => evaluateOne(check, cluster, ctx, options, shared)),
  );
}
