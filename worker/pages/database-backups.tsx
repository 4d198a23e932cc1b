import type { Child } from "hono/jsx";
import type { DbPlugin } from "../../protocol/names.js";
import type { Outcome } from "../hub/outcome.js";
import { OutcomeMessage } from "./outcome.js";
import { reloadsOn } from "./stale.js";
import { databaseUrl, historyUrl } from "../urls.js";
import type { May } from "./may.js";
import type { OpName } from "../../protocol/ops.js";
import { PostForm } from "./post-form.js";

/** A database's backups section's own URL (`…/backups`), and its actions' (`…/backups/run`). */
export const backupsUrl = (host: string, plugin: string, service: string, action = "") => databaseUrl(host, plugin, service, `/backups${action}`);

const BUCKET_PATTERN = "[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9](/[A-Za-z0-9._\\-]+)*/?";

/** A form posting normally without JS, into `target` through htmx with it (the output streams when the op does). */
function BackupForm({ may, op, action, target, label, children }: { may: May; op: OpName; action: string; target: string; label: string; children: Child }) {
  if (!may(op, {})) return null;
  return (
    <PostForm action={action} target={`#${target}`} sync="this:drop" class="inline-form" label={label}>
      {children}
    </PostForm>
  );
}

/** Where an action's answer lands; kept across the section's reloads. */
const Result = ({ id }: { id: string }) => <div id={id} class="result" aria-live="polite" hx-preserve></div>;

function IamBox({ id }: { id: string }) {
  return (
    <div class="check">
      <input id={id} name="useIam" type="checkbox" value="1" />
      <label for={id}>Use the server's IAM role instead of stored credentials</label>
    </div>
  );
}

/** What the backups section and its schedule are drawn from: one service's `databases.backups` read, and what the policy allows. */
interface BackupsProps {
  host: string;
  plugin: DbPlugin;
  service: string;
  backups: Outcome<"databases.backups">;
  may: May;
}

/**
 * The schedule as `<p>:backup-schedule-cat` shows it, with Unschedule; or that none is set, or why
 * it could not be read. Read again (`…/backups/schedule`) after each backup change (pages/stale.ts);
 * the forms around it stay as they are.
 */
export function BackupSchedule({ host, plugin, service, backups, may }: BackupsProps) {
  const s = backups.kind === "ok" ? backups.result.schedule : null;
  return (
    <div id="backup-schedule-facts" {...reloadsOn(backupsUrl(host, plugin, service, "/schedule"), ["databases.backups"])}>
      {backups.kind !== "ok" ? (
        <OutcomeMessage outcome={backups} historyHref={historyUrl(host)} host={host} />
      ) : !s ? (
        <p data-schedule="none">No backup is scheduled.</p>
      ) : (
        <>
          <dl class="facts" data-schedule={s.schedule}>
            <dt>Schedule (cron, the host's time)</dt>
            <dd>
              <code>{s.schedule}</code>
            </dd>
            <dt>Bucket</dt>
            <dd>
              <code>{s.bucket}</code>
            </dd>
            <dt>Credentials</dt>
            <dd>{s.useIam ? "the server's IAM role" : "the stored credentials"}</dd>
          </dl>
          <BackupForm
            may={may}
            op="databases.backup.unschedule"
            action={backupsUrl(host, plugin, service, "/unschedule")}
            target="backup-unschedule-result"
            label="Unschedule backups"
          >
            <button type="submit">Unschedule</button>
          </BackupForm>
        </>
      )}
    </div>
  );
}

/**
 * A database's backups to S3 (the datastore plugins' backup commands): the schedule (BackupSchedule), and forms to back up now, schedule,
 * unschedule, store or remove credentials and set or remove the encryption passphrase. Credentials
 * and the passphrase are write-only: the plugin has no command that shows them, and nothing here does.
 */
export function BackupsSection({ host, plugin, service, backups, may }: BackupsProps) {
  const url = (a: string) => backupsUrl(host, plugin, service, a);
  return (
    <section id="db-backups" aria-labelledby="backups-h">
      <h2 id="backups-h">Backups to S3</h2>
      <p class="muted">
        The {plugin} plugin exports the database and uploads it to an S3 bucket (or an S3-compatible store), now or on a schedule. Credentials and the
        passphrase are kept on the host and never shown again.
      </p>
      <BackupSchedule host={host} plugin={plugin} service={service} backups={backups} may={may} />
      <Result id="backup-unschedule-result" />

      <h3>Back up now</h3>
      <BackupForm may={may} op="databases.backup.run" action={url("/run")} target="backup-run-result" label="Back up now">
        <div>
          <label for="backup-run-bucket">Bucket (and optional /prefix)</label>
          <input id="backup-run-bucket" name="bucket" required maxlength={255} pattern={BUCKET_PATTERN} autocomplete="off" />
        </div>
        <IamBox id="backup-run-iam" />
        <button type="submit">Back up now</button>
      </BackupForm>
      <Result id="backup-run-result" />

      <h3>Schedule</h3>
      <BackupForm may={may} op="databases.backup.schedule" action={url("/schedule")} target="backup-schedule-result" label="Schedule backups">
        <div>
          <label for="backup-schedule">Cron schedule (e.g. 0 3 * * * for 03:00 daily)</label>
          <input id="backup-schedule" name="schedule" required maxlength={100} autocomplete="off" />
        </div>
        <div>
          <label for="backup-schedule-bucket">Bucket (and optional /prefix)</label>
          <input id="backup-schedule-bucket" name="bucket" required maxlength={255} pattern={BUCKET_PATTERN} autocomplete="off" />
        </div>
        <IamBox id="backup-schedule-iam" />
        <button type="submit">Schedule</button>
      </BackupForm>
      <Result id="backup-schedule-result" />

      <details>
        <summary>Credentials</summary>
        <p class="muted">Stored for this database's backups. To replace them, remove them first.</p>
        <CredentialsForms host={host} plugin={plugin} service={service} may={may} />
        <Result id="backup-auth-result" />
      </details>

      <details>
        <summary>Encryption</summary>
        <p class="muted">With a passphrase set, each later backup is encrypted with GnuPG (AES-256); keep it somewhere safe, it is needed to restore.</p>
        <PassphraseForms host={host} plugin={plugin} service={service} may={may} />
        <Result id="backup-encryption-result" />
      </details>
    </section>
  );
}

type Of = { host: string; plugin: string; service: string; may: May };

/**
 * The forms that take a secret, read again (empty) once a backup change succeeded (pages/stale.ts),
 * so a stored credential or passphrase does not stay in its field; each form syncs on itself
 * (hx-sync), so that reload never stops its own request.
 */
export function CredentialsForms({ host, plugin, service, may }: Of) {
  const url = (a: string) => backupsUrl(host, plugin, service, a);
  return (
    <div id="backup-credentials" {...reloadsOn(url("/credentials"), ["databases.backups"])}>
      <BackupForm may={may} op="databases.backup.auth" action={url("/auth")} target="backup-auth-result" label="Store backup credentials">
        <div>
          <label for="backup-key-id">Access key id</label>
          <input id="backup-key-id" name="accessKeyId" required maxlength={128} autocomplete="off" />
        </div>
        <div>
          <label for="backup-secret">Secret access key</label>
          <input id="backup-secret" name="secretAccessKey" type="password" required maxlength={256} autocomplete="new-password" />
        </div>
        <div>
          <label for="backup-region">Region (optional)</label>
          <input id="backup-region" name="region" maxlength={50} autocomplete="off" placeholder="us-east-1" />
        </div>
        <div>
          <label for="backup-signature">Signature version (optional)</label>
          <input id="backup-signature" name="signatureVersion" maxlength={16} autocomplete="off" placeholder="s3v4" />
        </div>
        <div>
          <label for="backup-endpoint">Endpoint URL (optional, for S3-compatible stores)</label>
          <input id="backup-endpoint" name="endpointUrl" type="url" maxlength={2048} autocomplete="off" />
        </div>
        <button type="submit">Store credentials</button>
      </BackupForm>
      <BackupForm may={may} op="databases.backup.deauth" action={url("/deauth")} target="backup-auth-result" label="Remove backup credentials">
        <button type="submit">Remove credentials</button>
      </BackupForm>
    </div>
  );
}

/** The passphrase's forms (see CredentialsForms). */
export function PassphraseForms({ host, plugin, service, may }: Of) {
  const url = (a: string) => backupsUrl(host, plugin, service, a);
  return (
    <div id="backup-passphrase-forms" {...reloadsOn(url("/passphrase"), ["databases.backups"])}>
      <BackupForm may={may} op="databases.backup.encrypt" action={url("/encryption")} target="backup-encryption-result" label="Set the backup passphrase">
        <div>
          <label for="backup-passphrase">Passphrase (no spaces)</label>
          <input id="backup-passphrase" name="passphrase" type="password" required maxlength={1024} autocomplete="new-password" />
        </div>
        <button type="submit">Set passphrase</button>
      </BackupForm>
      <BackupForm
        may={may}
        op="databases.backup.unencrypt"
        action={url("/unencryption")}
        target="backup-encryption-result"
        label="Remove the backup passphrase"
      >
        <button type="submit">Remove passphrase</button>
      </BackupForm>
    </div>
  );
}
