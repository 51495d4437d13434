import type { ScopeResult } from '../../model/run.js';
import type { ApiCalls } from '../apiCalls.js';
import { callGoogle, type GcpClients } from './clients.js';

/** What to scan on Google Cloud: `targets.gke` of the configuration. */
export interface GkeTargets {
  readonly projects?: readonly string[];
  /** `organizations/N`: every active project below it, through its folders. */
  readonly organization?: string;
  /** `folders/N`: every active project below it, through its sub-folders. */
  readonly folder?: string;
}

export interface GkeScopePlan {
  /** Project ids to list clusters in, sorted. */
  readonly projects: readonly string[];
  /** A parent whose projects or folders could not be listed. */
  readonly errors: readonly ScopeResult[];
}

export interface PlanDeps {
  readonly clients: GcpClients;
  readonly calls: ApiCalls;
}

/** Folders deeper than this are not followed: Resource Manager allows 10 levels. */
const MAX_FOLDER_DEPTH = 10;

function parentError(parent: string, reason: string): ScopeResult {
  return { provider: 'gke', scope: parent, status: 'error', error: reason, clusters: 0 };
}

async function projectsUnder(parent: string, deps: PlanDeps): Promise<string[] | string> {
  // Search terms are ORed, so the state filter cannot go in the query: deleted projects are
  // dropped here instead.
  const { projects: client } = await deps.clients.resourceManager();
  const found = await deps.calls.call('cloudresourcemanager:SearchProjects', parent, () =>
    callGoogle(deps.clients.callOptions, (options) =>
      client.searchProjects({ query: `parent:${parent}` }, options),
    ),
  );
  if ('missing' in found) return found.missing;
  const [projects] = found.ok;
  return projects
    .filter((project) => project.state === 'ACTIVE' || project.state === 1)
    .map((project) => project.projectId ?? '')
    .filter((id) => id !== '');
}

async function foldersUnder(parent: string, deps: PlanDeps): Promise<string[] | string> {
  const { folders: client } = await deps.clients.resourceManager();
  const found = await deps.calls.call('cloudresourcemanager:ListFolders', parent, () =>
    callGoogle(deps.clients.callOptions, (options) => client.listFolders({ parent }, options)),
  );
  if ('missing' in found) return found.missing;
  const [folders] = found.ok;
  return folders
    .filter((folder) => folder.state === 'ACTIVE' || folder.state === 1)
    .map((folder) => folder.name ?? '')
    .filter((name) => name !== '');
}

/** Walks a parent's folders breadth-first, collecting the active projects of each level. */
async function discover(root: string, deps: PlanDeps): Promise<GkeScopePlan> {
  const projects = new Set<string>();
  const errors: ScopeResult[] = [];
  let level = [root];
  for (let depth = 0; level.length > 0 && depth <= MAX_FOLDER_DEPTH; depth += 1) {
    const results = await Promise.all(
      level.map(async (parent) => ({
        parent,
        projects: await projectsUnder(parent, deps),
        folders: await foldersUnder(parent, deps),
      })),
    );
    level = [];
    for (const result of results) {
      if (typeof result.projects === 'string') errors.push(parentError(result.parent, result.projects));
      else for (const project of result.projects) projects.add(project);
      if (typeof result.folders === 'string') errors.push(parentError(result.parent, result.folders));
      else level.push(...result.folders);
    }
  }
  return { projects: [...projects].sort(), errors };
}

/** Turns `targets.gke` into projects: listed in config, or discovered under an organization or folder. */
export async function planGkeProjects(targets: GkeTargets, deps: PlanDeps): Promise<GkeScopePlan> {
  const root = targets.organization ?? targets.folder;
  const discovered = root === undefined ? { projects: [], errors: [] } : await discover(root, deps);
  const projects = [...new Set([...(targets.projects ?? []), ...discovered.projects])].sort();
  return { projects, errors: discovered.errors };
}
