// What the Render face remembers beyond the shared world: things Render has and Northflank's model
// does not (suspension, deploy triggers, builds waiting to be deployed, one-off jobs' commands, databases
// recovered to a point in time, pre-deploy commands). Kept in memory only: a sandbox restarted with
// --state forgets them.
import type {JobRunRecord} from '../state.js';

export type DeployTrigger = 'api' | 'manual' | 'new_commit' | 'rollback' | 'service_resumed';

/** A build-and-deploy whose build is still running: it is rolled out once the build succeeds. */
export type PendingDeploy = {projectId: string; serviceId: string; buildId: string};

/** A point-in-time recovery: a new database record (no real database behind it in the sandbox). */
export type RecoveredPostgres = {
	id: string;
	name: string;
	projectId: string;
	sourceAddonId: string;
	restoreTime: number;
	createdAt: number;
	/** recovery_in_progress until then, creating until `availableAt`, then available. */
	recoveredAt: number;
	availableAt: number;
};

/** A deploy's pre-deploy command, run as a job run of the deploy's build before it rolls out. */
export type PreDeployRun = {run: JobRunRecord; command: string};

export type ServiceNotice = {serviceId: string; type: 'service_suspended' | 'service_resumed'; at: number};

export class RenderFaceState {
	/** Service id → since when it is suspended. */
	readonly suspended = new Map<string, number>();
	/** Services whose autoDeploy was set to "no" (PATCH /services/{id}); every other service has "yes". */
	readonly autoDeployOff = new Set<string>();
	readonly notices: ServiceNotice[] = [];
	/** Render deploy id → what started it, when the face knows. */
	readonly triggers = new Map<string, DeployTrigger>();
	/** Deploys created while another was in progress (answered 202): `queued` until their build starts. */
	readonly queued = new Set<string>();
	pending: PendingDeploy[] = [];
	/** Job run id → the one-off job's startCommand. */
	readonly startCommands = new Map<string, string>();
	readonly recovered: RecoveredPostgres[] = [];
	/** Service id → its pre-deploy command (PATCH serviceDetails.preDeployCommand). */
	readonly preDeployCommands = new Map<string, string>();
	/** Build id → the pre-deploy run of the deploy that first ships it. */
	readonly preDeploys = new Map<string, PreDeployRun>();
}
