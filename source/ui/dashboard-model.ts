// What the panes show for a snapshot and the UI state: filtered rows and the selected row of each.
import type {AddonView, Build, DashboardSnapshot, JobView, ServiceView} from '../core/types.js';
import {type PaneId, resolveIndex, type UiState} from './ui-state.js';

export type PaneRowTypes = {
	services: ServiceView;
	builds: Build;
	addons: AddonView;
	jobs: JobView;
};

export type PaneModel<Row> = {
	/** Rows after the filter. */
	rows: Row[];
	/** Rows before the filter. */
	all: readonly Row[];
	total: number;
	ids: string[];
	/** -1 when there are no rows. */
	selectedIndex: number;
	selected?: Row;
};

export type DashboardModel = {[Pane in PaneId]: PaneModel<PaneRowTypes[Pane]>} & {
	selectedService?: ServiceView;
	/** False until the source has fetched the selected service's builds. */
	buildsLoaded: boolean;
};

const searchText: {[Pane in PaneId]: (row: PaneRowTypes[Pane]) => string} = {
	services: service => [service.name, service.kind, service.health, service.deployment.status, service.build?.status, service.deployedSha].join(' '),
	builds: build => [build.id, build.sha, build.branch, build.status, build.message].join(' '),
	addons: addon => [addon.name, addon.type, addon.version, addon.status].join(' '),
	jobs: job => [job.name, job.kind, job.lastRun?.status].join(' '),
};

function newestFirst(builds: readonly Build[]): Build[] {
	if (!builds.every(build => build.createdAt)) {
		return [...builds];
	}

	return [...builds].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}

function paneModel<Pane extends PaneId>(pane: Pane, all: ReadonlyArray<PaneRowTypes[Pane] & {id: string}>, ui: UiState): PaneModel<PaneRowTypes[Pane]> {
	const query = ui.filters[pane].trim().toLowerCase();
	const rows = query === '' ? [...all] : all.filter(row => searchText[pane](row).toLowerCase().includes(query));
	const ids = rows.map(row => row.id);
	const selectedIndex = resolveIndex(ui.cursors[pane], ids);
	return {rows, all, total: all.length, ids, selectedIndex, selected: rows[selectedIndex]};
}

export function dashboardModel(snapshot: DashboardSnapshot | undefined, ui: UiState): DashboardModel {
	const services = paneModel('services', snapshot?.services ?? [], ui);
	const selectedService = services.selected;
	const serviceBuilds = selectedService ? snapshot?.builds[selectedService.id] : undefined;
	const builds = paneModel('builds', newestFirst(serviceBuilds ?? []), ui);
	return {
		services,
		builds,
		addons: paneModel('addons', snapshot?.addons ?? [], ui),
		jobs: paneModel('jobs', snapshot?.jobs ?? [], ui),
		selectedService,
		buildsLoaded: serviceBuilds !== undefined,
	};
}
