/**
 * Proto enum numbering of the GKE v1 API (google/container/v1/cluster_service.proto), for dumps
 * that serialise enums as numbers (protobuf `MessageToDict` without enum names, protobufjs
 * `toObject` without `enums: String`). Checked against the proto at googleapis/googleapis
 * 0054cdcb. Numbers missing here are gaps in the proto or values added later: they read as
 * unknown, never as a guess.
 */

/** `DatabaseEncryption.State`. */
export const DATABASE_ENCRYPTION_STATE: Readonly<Record<number, string>> = {
  0: 'UNKNOWN',
  1: 'ENCRYPTED',
  2: 'DECRYPTED',
  3: 'ALL_OBJECTS_ENCRYPTION_ENABLED',
};

/** `DatapathProvider` (v1; v1beta1 adds MIGRATE_TO_ADVANCED_DATAPATH = 3 and MIGRATE_TO_LEGACY_DATAPATH = 4). */
export const DATAPATH_PROVIDER: Readonly<Record<number, string>> = {
  0: 'DATAPATH_PROVIDER_UNSPECIFIED',
  1: 'LEGACY_DATAPATH',
  2: 'ADVANCED_DATAPATH',
};

/** `ReleaseChannel.Channel`. */
export const RELEASE_CHANNEL: Readonly<Record<number, string>> = {
  0: 'UNSPECIFIED',
  1: 'RAPID',
  2: 'REGULAR',
  3: 'STABLE',
  4: 'EXTENDED',
};

/** `LoggingComponentConfig.Component` (6 is unused in v1). */
export const LOGGING_COMPONENT: Readonly<Record<number, string>> = {
  0: 'COMPONENT_UNSPECIFIED',
  1: 'SYSTEM_COMPONENTS',
  2: 'WORKLOADS',
  3: 'APISERVER',
  4: 'SCHEDULER',
  5: 'CONTROLLER_MANAGER',
  7: 'KCP_SSHD',
  8: 'KCP_CONNECTION',
  9: 'KCP_HPA',
};

/** `SecurityPostureConfig.Mode` (ENTERPRISE is deprecated but still returned by older clusters). */
export const SECURITY_POSTURE_MODE: Readonly<Record<number, string>> = {
  0: 'MODE_UNSPECIFIED',
  1: 'DISABLED',
  2: 'BASIC',
  3: 'ENTERPRISE',
};

/** `AnonymousAuthenticationConfig.Mode`. */
export const ANONYMOUS_AUTHENTICATION_MODE: Readonly<Record<number, string>> = {
  0: 'MODE_UNSPECIFIED',
  1: 'ENABLED',
  2: 'LIMITED',
};

/**
 * `BinaryAuthorization.EvaluationMode` (v1). v1beta1 adds the policy-bindings modes; their
 * numbers differ between the proto and gcloud's generated client, so they are left out here.
 */
export const BINARY_AUTHORIZATION_EVALUATION_MODE: Readonly<Record<number, string>> = {
  0: 'EVALUATION_MODE_UNSPECIFIED',
  1: 'DISABLED',
  2: 'PROJECT_SINGLETON_POLICY_ENFORCE',
};
