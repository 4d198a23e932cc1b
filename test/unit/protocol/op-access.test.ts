import { describe, expect, it } from "vitest";
import { z } from "zod";
import { opNames, ops } from "../../../protocol/ops.js";
import { OP_AREAS } from "../../../protocol/ops/spec.js";

/** The object shapes an op's arguments may take (a union has one per option). */
function shapes(schema: z.ZodType): Record<string, unknown>[] {
  if (schema instanceof z.ZodObject) return [schema.shape];
  if (schema instanceof z.ZodUnion) return schema.options.flatMap((o) => shapes(o as z.ZodType));
  if (schema instanceof z.ZodPipe) return shapes(schema.in as z.ZodType);
  throw new Error(`unexpected argument schema ${schema.constructor.name}`);
}

/** Every op declares what it needs (protocol/ops/spec.ts OpAccess); the one policy reads it. */
describe("op access declarations", () => {
  it.each(opNames)("%s declares a scope its arguments can meet", (name) => {
    const spec = ops[name];
    expect(OP_AREAS).toContain(spec.access.area);
    const each = shapes(spec.args);
    // An app-scoped op names its app, or the policy could not tell which grant covers it.
    if (spec.access.scope === "app") for (const shape of each) expect(Object.keys(shape)).toContain("app");
  });

  it("reveals only on reads, host-root only where an op can reach beyond one app", () => {
    for (const name of opNames) {
      const spec = ops[name];
      if (spec.access.reveals) expect(spec.mutates, `${name} reveals but changes`).toBe(false);
    }
    const hostRoot = opNames.filter((n) => ops[n].access.hostRoot).sort();
    expect(hostRoot).toEqual([
      "apps.destroy",
      "apps.rename",
      "databases.destroy",
      "databases.expose",
      "databases.import",
      "docker-options.add",
      "docker-options.clear",
      "docker-options.remove",
      "host.cleanup",
      "host.config.set",
      "host.config.unset",
      "host.deployBranch",
      "host.domains.add",
      "host.domains.remove",
      "network.create",
      "network.destroy",
      "plugins.update",
      "registry.loginGlobal",
      "storage.create",
      "storage.destroy",
      "storage.ensureDirectory",
      "storage.mount",
      "storage.unmount",
    ]);
  });
});
