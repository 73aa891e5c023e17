import type {ConfirmRequest, StepDefinition, StepPreview} from '../types.js';

export type ConfirmationPolicy = {
	/** A protected context asks for its name to be typed before any step that changes something. */
	protected: boolean;
	contextName: string;
	/** What destructive steps ask to be typed elsewhere: the service or addon name. */
	targetName: string;
};

/** Which words must be typed: the context name when it is protected, the target's for a destructive step. */
export function typedConfirmation(step: Pick<StepDefinition, 'impact'>, policy: ConfirmationPolicy): string | undefined {
	if (step.impact === 'read') {
		return undefined;
	}

	if (policy.protected) {
		return policy.contextName;
	}

	return step.impact === 'destructive' ? policy.targetName : undefined;
}

export function confirmRequest(step: Pick<StepDefinition, 'id' | 'title' | 'impact'>, preview: StepPreview, policy: ConfirmationPolicy): ConfirmRequest {
	const typeToConfirm = typedConfirmation(step, policy);
	return {
		stepId: step.id,
		title: step.title,
		lines: previewLines(preview),
		impact: step.impact,
		...(typeToConfirm === undefined ? {} : {typeToConfirm}),
	};
}

export function previewLines(preview: StepPreview): string[] {
	return [preview.summary, ...preview.details, ...(preview.equivalent ? [`equivalent: ${preview.equivalent}`] : [])];
}

/**
 * The --yes rule: every confirmation is given, except the typed confirmation of a destructive step,
 * which --yes gives only when the operator also passed the exact words (`confirmText`).
 */
export function yesConfirms(request: ConfirmRequest, confirmText?: string): boolean {
	if (request.typeToConfirm === undefined || request.impact !== 'destructive') {
		return true;
	}

	return confirmText === request.typeToConfirm;
}
