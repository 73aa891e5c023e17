import type {DashboardModel} from './dashboard-model.js';
import {layoutPanes, type PaneGrid} from './layout.js';
import {paneColumns} from './pane-columns.js';
import {essentialWidth} from './table-layout.js';
import type {PaneId} from './ui-state.js';

/** The pane layout for what the panes hold now: tall lists get rows, wide tables get columns. */
export function paneGrid(model: DashboardModel, focus: PaneId, columns: number, height: number): PaneGrid {
	return layoutPanes({
		columns,
		height,
		focus,
		wanted: {services: model.services.rows.length, builds: model.builds.rows.length, addons: model.addons.rows.length, jobs: model.jobs.rows.length},
		needs: {
			addons: essentialWidth(paneColumns.addons, model.addons.rows),
			jobs: essentialWidth(paneColumns.jobs, model.jobs.rows),
		},
	});
}
