/**
 * Every AWS API action kubeline calls, as IAM names it. infra/aws/ grants exactly these (a test
 * compares them), so the roles stay read-only and least-privilege as the collector changes.
 */

/** Read in each scanned account, through the role kubeline assumes there (or its own identity). */
export const EKS_READ_ACTIONS = [
  'cloudwatch:DescribeAlarmsForMetric',
  'ec2:DescribeFlowLogs',
  'ec2:DescribeLaunchTemplateVersions',
  'ec2:DescribeRegions',
  'ec2:DescribeSubnets',
  'eks:DescribeAddon',
  'eks:DescribeCluster',
  'eks:DescribeClusterVersions',
  'eks:DescribeNodegroup',
  'eks:ListAccessEntries',
  'eks:ListAddons',
  'eks:ListAssociatedAccessPolicies',
  'eks:ListClusters',
  'eks:ListIdentityProviderConfigs',
  'eks:ListNodegroups',
  'guardduty:GetDetector',
  'guardduty:ListDetectors',
  'iam:ListOpenIDConnectProviders',
  'logs:DescribeLogGroups',
  'logs:DescribeMetricFilters',
] as const;

/** Called with kubeline's own identity: to find accounts and step into them. */
export const SCANNER_ACTIONS = ['organizations:ListAccounts', 'sts:AssumeRole'] as const;

export type AwsAction = (typeof EKS_READ_ACTIONS)[number] | (typeof SCANNER_ACTIONS)[number];
