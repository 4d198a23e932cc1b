import type { Context } from "hono";
import { AppShell, appBase, type AppTab } from "../../pages/app/shell.js";
import { OutcomeMessage, outcomeStatus } from "../../pages/outcome.js";
import type { OpName } from "../../../protocol/ops.js";
import type { HostAppEnv } from "../../types.js";
import type { Failed } from "../answers.js";
import { historyHref } from "../scope.js";

/** What the tabs of one app share: their context, their base URL, their failed page. */
export type C = Context<HostAppEnv>;

/** The app's base URL (see `appBase`). */
export const base = (c: C) => appBase(c.var.host.id, c.var.app);

/** After a change, reload one section of the app's page: GET `base + path` into `target`. */
export const reload = (c: C, path: string, target: string) => [{ url: `${base(c)}${path}`, target }];

/** A whole page that could not be read: the app's tabs stay, the failure is said plainly. */
export async function failedPage<N extends OpName>(c: C, tab: AppTab, outcome: Failed<N>) {
  return c.html(
    <AppShell host={await c.var.host.status()} hosts={c.var.hosts} app={c.var.app} tab={tab}>
      <OutcomeMessage outcome={outcome} historyHref={historyHref(c)} />
    </AppShell>,
    outcomeStatus(outcome),
  );
}
