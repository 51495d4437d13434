import type { Known, Unknown } from './observed.js';
import type { ClusterPosture } from './posture.js';

/*
 * Paths to the Observed fields of a posture, derived from the posture types so the compiler checks
 * them: `endpoint.publicAccess`, `eks.oidcIssuer`, `nodePools`, `nodePools[].publicIps`,
 * `inCluster.clusterRoleBindings`, `inCluster.kubelets[].readOnlyPort`. A plain object groups
 * fields (`endpoint.…`); a field inside an observed value is reached through it (`.` into an
 * object, `[].` into each item of a list).
 */

/** Fields that say which cluster a posture is, never observed. */
type IdentityField = 'id' | 'provider' | 'scope' | 'location' | 'name' | 'tags' | 'origin';

type AnyObserved = Known<unknown> | Unknown;

type IsObserved<T> = [T] extends [AnyObserved] ? true : false;

/** A plain object that groups fields (`endpoint`, `eks`), not a list, a function or an observed value. */
type IsGroup<T> = [T] extends [readonly unknown[]]
  ? false
  : [T] extends [(...args: never[]) => unknown]
    ? false
    : [T] extends [object]
      ? true
      : false;

type ValueOf<O> = O extends Known<infer V> ? V : never;

/** Paths to the observed fields inside an observed value, with their leading `.` or `[].`. */
type InnerPaths<V> = V extends readonly (infer Item)[]
  ? `[].${FieldPaths<Item>}`
  : IsGroup<V> extends true
    ? `.${FieldPaths<V>}`
    : never;

/** Every path to an observed field of `T`, those inside observed values included. */
type FieldPaths<T> = {
  [K in keyof T & string]-?: IsObserved<T[K]> extends true
    ? K | `${K}${InnerPaths<ValueOf<T[K]>>}`
    : IsGroup<T[K]> extends true
      ? `${K}.${FieldPaths<T[K]>}`
      : never;
}[keyof T & string];

/** The observed fields of `T` reached through groups only: the fields a normaliser fills from API calls. */
type TopFieldPaths<T> = {
  [K in keyof T & string]-?: IsObserved<T[K]> extends true
    ? K
    : IsGroup<T[K]> extends true
      ? `${K}.${TopFieldPaths<T[K]>}`
      : never;
}[keyof T & string];

/** A path to an observed field of one provider's posture (or of any, for the union). */
export type PosturePath<P extends ClusterPosture = ClusterPosture> = P extends unknown
  ? FieldPaths<Omit<P, IdentityField>>
  : never;

/** A top-level observed field of one provider's posture: `auditLogs`, `endpoint.publicAccess`, `eks.addons`. */
export type PostureField<P extends ClusterPosture = ClusterPosture> = P extends unknown
  ? TopFieldPaths<Omit<P, IdentityField>>
  : never;
