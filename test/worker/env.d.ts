/** The bindings the worker tests add (vitest.worker.config.ts), merged into the generated Cloudflare.Env. */
declare global {
  namespace Cloudflare {
    interface Env {
      TEST_PASSWORD: string;
      TEST_RELAY_TOKEN: string;
      TEST_OP_PUBLIC_X: string;
    }
  }
}
export {};
