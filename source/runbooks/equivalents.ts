// What each step would be by hand, in the platform's own terms: shown in every step's preview so an
// operator can check it, or finish the job without wheelhouse.
import type {DeploymentTarget} from './target.js';

const tagged = (tag: string) => `<tag variable>=${tag}`;

export const equivalents = {
	recordDeployment(target: DeploymentTarget): string {
		switch (target.platform) {
			case 'render': {
				return `curl https://api.render.com/v1/services/${target.service.id}/deploys?status=live&limit=1`;
			}

			case 'compose': {
				return `docker compose ps --format json ${target.service.name}`;
			}

			default: {
				return `northflank get service deployment --projectId … --serviceId ${target.service.id}`;
			}
		}
	},
	backup(target: DeploymentTarget): string {
		switch (target.platform) {
			case 'render': {
				return `curl -X POST https://api.render.com/v1/postgres/${target.addon.id}/export`;
			}

			case 'compose': {
				return `ssh … docker compose exec -T ${target.addon.name} pg_dump -Fc > backup.dump`;
			}

			default: {
				return `northflank backup addon --projectId … --addonId ${target.addon.id} --backupType dump`;
			}
		}
	},
	restore(target: DeploymentTarget, backupId: string): string {
		switch (target.platform) {
			case 'compose': {
				return `ssh … docker compose exec -T ${target.addon.name} pg_restore --clean --if-exists --no-owner -d "$POSTGRES_DB" < ${backupId}.dump`;
			}

			default: {
				return `northflank restore addon backup --projectId … --addonId ${target.addon.id} --backupId ${backupId}`;
			}
		}
	},
	jobRun(target: DeploymentTarget, command: string, build?: string): string {
		switch (target.platform) {
			case 'compose': {
				return `ssh … ${tagged(build ?? '<tag>')} docker compose run --rm -T ${target.service.name} ${command}`;
			}

			default: {
				return `northflank start job run --projectId … --jobId ${target.job.id} (${build ? `build ${build}, ` : ''}command override: ${command})`;
			}
		}
	},
	deploy(target: DeploymentTarget, build: string | undefined): string {
		switch (target.platform) {
			case 'render': {
				return `curl -X POST https://api.render.com/v1/services/${target.service.id}/rollback -d '{"deployId":"${build ?? '…'}"}'`;
			}

			case 'compose': {
				return `ssh … ${tagged(build ?? '<tag>')} docker compose up -d --wait --wait-timeout 300 ${target.service.name}`;
			}

			default: {
				return `northflank update service deployment --projectId … --serviceId ${target.service.id} (internal.buildId ${build ?? '…'})`;
			}
		}
	},
};
