// Render's rollback endpoint leaves auto-deploy on (the dashboard's turns it off): the next push would
// deploy the bad code again. The rollback offers to turn it off, as its own confirmed step.
import type {Provider} from '../../core/provider.js';
import {classifyStepError} from '../step-failure.js';
import type {DeploymentTarget} from '../target.js';
import type {StepDefinition} from '../types.js';

type AutoDeploySwitch = {setAutoDeploy(serviceId: string, enabled: boolean): Promise<{autoDeploy: boolean}>};

export function canSwitchAutoDeploy(provider: Provider): provider is Provider & AutoDeploySwitch {
	return typeof (provider as Partial<AutoDeploySwitch>).setAutoDeploy === 'function';
}

export function autoDeployOffStep(target: DeploymentTarget): StepDefinition {
	const id = 'auto-deploy-off';
	return {
		id,
		title: 'Turn auto-deploy off',
		impact: 'mutate',
		preview: () => ({
			summary: `Turn auto-deploy off for ${target.service.name}, so the next push does not deploy the rolled-back code again`,
			details: ['Render\'s rollback API leaves auto-deploy on. Cancel to leave it on (the rest of the rollback is done by then).', 'Turn it back on in the dashboard or with PATCH autoDeploy=yes once the fix is merged.'],
			equivalent: `curl -X PATCH https://api.render.com/v1/services/${target.service.id} -d '{"autoDeploy":"no"}'`,
		}),
		async reconcile(context) {
			return context.step.handles?.autoDeploy === 'off' ? {state: 'done'} : {state: 'not-started'};
		},
		async action(context) {
			if (!canSwitchAutoDeploy(context.provider)) {
				return;
			}

			const result = await context.provider.setAutoDeploy(target.service.id, false);
			if (!result.autoDeploy) {
				await context.handle('autoDeploy', 'off');
			}

			context.log(`auto-deploy is ${result.autoDeploy ? 'still on' : 'off'}`);
		},
		async verify(context) {
			return context.step.handles?.autoDeploy === 'off' ? {ok: true, message: 'auto-deploy is off'} : {ok: false, message: 'auto-deploy is still on'};
		},
		classify: classifyStepError(id),
		onFailure: () => [{id: 'retry', label: 'Try again'}, {id: 'stop', label: 'Stop (turn it off in the dashboard)'}],
	};
}
