import assert from 'node:assert/strict';
import { checkSettingsFrom } from '../../config/domain.js';
import { parseConfig } from '../../config/load.js';

describe('config: in-cluster check settings', () => {
  it('maps clusterAdminAllow and wildcardRoleAllow to the check settings, empty by default', () => {
    // Prepare
    const text = `
checks:
  settings:
    clusterAdminAllow: ["Group:platform-admins", "User:break-glass@acme.example", "ServiceAccount:argocd/argocd-server"]
    wildcardRoleAllow: [crossplane-admin]
`;
    // Act
    const settings = checkSettingsFrom(parseConfig(text, 'k.yaml'));
    const defaults = checkSettingsFrom(parseConfig('checks: {}\n', 'k.yaml'));
    // Assess
    assert.deepEqual(
      {
        clusterAdminAllow: settings.clusterAdminAllow,
        wildcardRoleAllow: settings.wildcardRoleAllow,
        defaults: [defaults.clusterAdminAllow, defaults.wildcardRoleAllow],
      },
      {
        clusterAdminAllow: [
          'Group:platform-admins',
          'User:break-glass@acme.example',
          'ServiceAccount:argocd/argocd-server',
        ],
        wildcardRoleAllow: ['crossplane-admin'],
        defaults: [[], []],
      },
    );
  });

  it('rejects a subject without its kind, or a ServiceAccount without its namespace', () => {
    for (const subject of ['platform-admins', 'ServiceAccount:argocd-server', 'Robot:r2']) {
      assert.throws(
        () => parseConfig(`checks:\n  settings:\n    clusterAdminAllow: ["${subject}"]\n`, 'k.yaml'),
        {
          name: 'ConfigError',
          message:
            'k.yaml: checks.settings.clusterAdminAllow.0: expected "User:<name>", "Group:<name>" or "ServiceAccount:<namespace>/<name>"',
        },
      );
    }
  });
});
