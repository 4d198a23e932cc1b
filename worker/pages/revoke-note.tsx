import type { JobInfo } from "../../protocol/frames.js";
import { opUrl } from "../urls.js";

/**
 * On the confirmation of rotating a host's token or removing the host: what becomes of the changes
 * running there now. The relay is cut off from the edge, but a change that started is never
 * stopped by it: the relay runs it to its end, records it in its history, and only then exits
 * (relay/cli/serve.ts). `removing`: the edge forgets the host, so it will not show that outcome.
 */
export function RunningWhenRevoked({ host, jobs, removing }: { host: string; jobs: JobInfo[]; removing: boolean }) {
  if (jobs.length === 0) return <p>No change is running on it now.</p>;
  return (
    <div class="outcome outcome-warning" role="status">
      <p>
        <strong>{jobs.length === 1 ? "A change is running on it now" : `${jobs.length} changes are running on it now`}:</strong>
      </p>
      <ul>
        {jobs.map((j) => (
          <li>
            <a href={opUrl(host, j.opId)}>{j.title ?? j.op}</a>, started by {j.requestedBy}
          </li>
        ))}
      </ul>
      <p>
        {removing
          ? "It is not stopped: the relay runs it to its end and records it in the history on the host, then stops. This edge will no longer show its outcome."
          : "It is not stopped: the relay runs it to its end and records it in the history on the host, then stops. Its page shows the outcome once the relay is back with the new token; until then it says the outcome is unknown."}
      </p>
    </div>
  );
}
