import {Box} from 'ink';
import type {DashboardModel, PaneModel} from '../dashboard-model.js';
import {type PaneGrid} from '../layout.js';
import {type Line, text} from '../line.js';
import {paneColumns} from '../pane-columns.js';
import type {Column} from '../table-layout.js';
import {type PaneId, paneTitles, type UiState} from '../ui-state.js';
import {PaneFrame} from './pane-frame.js';
import {PaneTable} from './pane-table.js';

function paneTitle(pane: PaneId, model: PaneModel<unknown>, filter: string, serviceName: string | undefined): Line {
	const count = model.rows.length === model.total ? `${model.total}` : `${model.rows.length}/${model.total}`;
	const title: Line = [text(paneTitles[pane], undefined, true)];
	if (pane === 'builds' && serviceName) {
		title.push(text(` · ${serviceName}`));
	}

	title.push(text(` (${count})`, 'muted'));
	if (filter) {
		title.push(text(` /${filter}`, 'accent'));
	}

	return title;
}

function emptyText(pane: PaneId, dashboard: DashboardModel, filter: string, loading: boolean): string {
	const model = dashboard[pane] as PaneModel<unknown>;
	if (loading && model.total === 0) {
		return 'loading…';
	}

	if (model.total > 0 && filter) {
		return `nothing matches /${filter}`;
	}

	if (pane === 'builds') {
		if (!dashboard.selectedService) {
			return 'no service selected';
		}

		return dashboard.buildsLoaded ? 'no builds yet' : 'loading builds…';
	}

	return `no ${paneTitles[pane].toLowerCase()}`;
}

export function DashboardPanes({grid, model, ui, loading}: {
	grid: PaneGrid;
	model: DashboardModel;
	ui: UiState;
	loading: boolean;
}) {
	return (
		<Box flexDirection="column">
			{grid.map(row => (
				<Box key={row.map(box => box.pane).join('+')} flexDirection="row">
					{row.map(box => {
						const pane = model[box.pane] as PaneModel<{id: string}>;
						const filter = ui.filters[box.pane];
						const focused = ui.focus === box.pane;
						return (
							<PaneFrame
								key={box.pane}
								title={paneTitle(box.pane, pane, filter, box.pane === 'builds' ? model.selectedService?.name : undefined)}
								width={box.width}
								height={box.height}
								focused={focused}
							>
								<PaneTable
									columns={paneColumns[box.pane] as ReadonlyArray<Column<{id: string}>>}
									rows={pane.rows}
									measured={pane.all}
									selectedIndex={pane.selectedIndex}
									focused={focused}
									width={box.width - 2}
									height={box.height - 2}
									empty={emptyText(box.pane, model, filter, loading)}
								/>
							</PaneFrame>
						);
					})}
				</Box>
			))}
		</Box>
	);
}
