import type { ComplianceRef, Responsibility, Severity, Status } from '../../model/finding.js';
import type { ReportComplianceRef } from '../../model/reportView.js';
import { FRAMEWORK_LABELS } from '../compliance.js';

/** Statuses as the report names them. */
export const STATUS_LABELS: Readonly<Record<Status, string>> = {
  fail: 'Fail',
  error: 'Error',
  unknown: 'Unknown',
  waived: 'Waived',
  pass: 'Pass',
  not_applicable: 'Not applicable',
};

/** Severities as the report names them. */
export const SEVERITY_LABELS: Readonly<Record<Severity, string>> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};

/** Each side of the shared-responsibility line: its name and what it asks of the customer. */
export const RESPONSIBILITY_LABELS: Readonly<Record<Responsibility, { label: string; description: string }>> =
  {
    customer: { label: 'Customer', description: 'The customer must configure it.' },
    shared: {
      label: 'Shared',
      description: 'The provider supplies it; the customer must enable or choose it.',
    },
    provider: {
      label: 'Provider-enforced',
      description: 'The provider enforces it; the customer cannot turn it off.',
    },
  };

/** What the report prints for a status where nothing was evaluated. */
export const NOT_EVALUATED = 'Not evaluated';

/** `1 day`, `3 days`: a count with its noun. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** `CIS EKS 1.8.0 5.4.2`. */
export function complianceLabel(ref: ComplianceRef): string {
  return `${FRAMEWORK_LABELS[ref.framework]} ${ref.version} ${ref.control}`;
}

/** Benchmark references with their labels. */
export function reportCompliance(refs: readonly ComplianceRef[]): ReportComplianceRef[] {
  return refs.map((ref) => ({
    framework: ref.framework,
    version: ref.version,
    control: ref.control,
    label: complianceLabel(ref),
  }));
}
