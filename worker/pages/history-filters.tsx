import { changeOpNames, HISTORY_OUTCOMES, isChangeOp, opLabel, opNames, type HistoryShow, type OpName } from "../../protocol/ops.js";
import { historyUrl } from "../urls.js";
import { FilterActions, SelectFilter, TextFilter } from "./filter-fields.js";

/**
 * The history pages' filter forms: GET forms, so a filtered history is a link and works without
 * JavaScript. The routes read what they send in routes/history-query.ts.
 */

/** The filter form's values as typed (strings), echoed back into the form. */
export interface HistoryQuery {
  show?: string;
  app?: string;
  op?: string;
  outcome?: string;
  from?: string;
  to?: string;
  text?: string;
}

/** What `show` the page lists for a typed value: the changes unless it says "all". */
export const shownOf = (typed: string | undefined): HistoryShow => (typed === "all" ? "all" : "changes");

/** Changes only (the default) or every command the relay ran, reads too: two radios named `show`. */
export function ShowChoice({ show }: { show: HistoryShow }) {
  return (
    <fieldset class="show-choice">
      <legend>Show</legend>
      <label>
        <input type="radio" name="show" value="changes" checked={show === "changes"} /> Changes
      </label>
      <label>
        <input type="radio" name="show" value="all" checked={show === "all"} /> All commands (reads too)
      </label>
    </fieldset>
  );
}

const READ_OPS = opNames.filter((o) => !isChangeOp(o));

/** One group of the op filter's options: each op by its label (opLabel), its value the op's name. */
function OpOptions({ group, names, selected }: { group: string; names: readonly OpName[]; selected: string | undefined }) {
  return (
    <optgroup label={group}>
      {names.map((o) => (
        <option value={o} selected={selected === o}>
          {opLabel(o)}
        </option>
      ))}
    </optgroup>
  );
}

/** The host history's filters: what to show, app, op, outcome, days (UTC) and text. */
export function FilterForm({ host, query }: { host: string; query: HistoryQuery }) {
  return (
    <form method="get" action={historyUrl(host)} class="filters" role="search" aria-label="Filter the history">
      <ShowChoice show={shownOf(query.show)} />
      <TextFilter id="f-app" name="app" label="App" value={query.app} maxlength={63} />
      <SelectFilter id="f-op" name="op" label="Op" any="any op" value={query.op}>
        <OpOptions group="Changes" names={changeOpNames} selected={query.op} />
        <OpOptions group="Reads (under All commands)" names={READ_OPS} selected={query.op} />
      </SelectFilter>
      <SelectFilter id="f-outcome" name="outcome" label="Outcome" any="any" value={query.outcome} options={HISTORY_OUTCOMES.map((o) => [o, o] as const)} />
      <TextFilter id="f-from" name="from" label="From (UTC)" type="date" value={query.from} />
      <TextFilter id="f-to" name="to" label="To (UTC, inclusive)" type="date" value={query.to} />
      <TextFilter id="f-text" name="text" label="Text in command or output" type="search" value={query.text} maxlength={200} />
      <FilterActions clear={historyUrl(host)} />
    </form>
  );
}
