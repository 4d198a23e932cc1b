import type { Context } from "hono";
import { AppShell, type AppTab } from "../../pages/app/shell.js";
import type { OpName } from "../../../protocol/ops.js";
import type { HostStatus, Outcome } from "../../hub/outcome.js";
import type { HostAppEnv } from "../../types.js";
import { streamPage, type Section } from "../stream-page.js";
import { appUrl } from "../../urls.js";

/** What the tabs of one app share: their context, their base URL, their page. */
export type C = Context<HostAppEnv>;

/** The app's base URL (`appUrl`). */
export const base = (c: C) => appUrl(c.var.host.id, c.var.app);

/**
 * One of the app's tabs, streamed (see `streamPage`): the app's name and tabs at once, then its
 * sections in order as their reads end. Start the page's reads before calling it; `status` is the
 * host's link state when a section needs it too (asked once); `main` the read the tab is about (its
 * failure is the page's status when the page goes out whole, see `streamPage`).
 */
export function appPage(
  c: C,
  tab: AppTab,
  sections: Section[],
  status: Promise<HostStatus> = c.var.host.status(),
  main?: Promise<Outcome<OpName>>,
): Promise<Response> {
  return streamPage(
    c,
    async (slot) => (
      <AppShell host={await status} hosts={c.var.hosts} app={c.var.app} tab={tab}>
        {slot}
      </AppShell>
    ),
    sections,
    main,
  );
}

export { unlessFailed } from "../answers.js";
