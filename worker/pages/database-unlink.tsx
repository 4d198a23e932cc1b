import type { DbPlugin } from "../../protocol/names.js";
import { databaseUrl } from "../urls.js";
import { unlinkQuestion } from "./databases.js";
import { ErrorPage } from "./errors.js";

/**
 * Unlink's question, as a page of its own for a browser without JavaScript (with it, htmx's dialog
 * asks and the form says `confirmed`): Unlink again, confirmed, or back to the database.
 */
export function UnlinkConfirm({ host, plugin, service, app, noRestart }: { host: string; plugin: DbPlugin; service: string; app: string; noRestart: boolean }) {
  const base = databaseUrl(host, plugin, service);
  return (
    <ErrorPage title={`Unlink ${service} from ${app}?`} current="databases">
      <p>{unlinkQuestion(app, service)}</p>
      <form method="post" action={`${base}/unlink`} class="inline-form">
        <input type="hidden" name="app" value={app} />
        {noRestart ? <input type="hidden" name="noRestart" value="1" /> : null}
        <input type="hidden" name="confirmed" value="1" />
        <button type="submit">Unlink {app}</button>
      </form>
      <p>
        <a href={base}>Keep it linked</a>
      </p>
    </ErrorPage>
  );
}
