/**
 * What a page says about the form it was just posted from: `notice` as done (a status), `error` as
 * refused (an alert); either may be absent, and then nothing is said. Text only: what a user typed
 * never becomes markup.
 */
export function Notices({ notice, error }: { notice?: string | null | undefined; error?: string | null | undefined }) {
  return (
    <>
      {notice ? (
        <p class="outcome outcome-ok" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p class="outcome outcome-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
