import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixture } from "@proj/testing";
import { afterAll, describe, expect, it } from "vitest";
import { proj } from "./helpers.js";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function copyOf(name: "bert-seq-cls"): string {
  const dir = mkdtempSync(join(tmpdir(), `proj-cli-quantize-${name}-`));
  temps.push(dir);
  cpSync(fixture(name), dir, { recursive: true });
  return dir;
}

describe("proj quantize", () => {
  it("writes onnx/model_quantized.onnx, which proj classify --dtype q8 then loads with float32's label", async () => {
    const dir = copyOf("bert-seq-cls");
    const run = await proj(["quantize", dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(join(dir, "onnx/model_quantized.onnx"));
    expect(run.stdout).toMatch(/quantized\s+\d+ MatMul\/Gemm \(matmul-integer, per tensor\)/);
    expect(existsSync(join(dir, "onnx/model_quantized.onnx"))).toBe(true);
    const texts = ["I love this film.", "A dull, tiresome mess.", "It rained in Berlin."];
    const q8 = await proj(["classify", "--model", dir, "--dtype", "q8", "--json", ...texts]);
    const fp32 = await proj(["classify", "--model", dir, "--dtype", "fp32", "--json", ...texts]);
    expect(q8.code).toBe(0);
    const labels = (out: string) => (JSON.parse(out) as Array<Array<{ label: string }>>).map((r) => r[0]?.label);
    expect(labels(q8.stdout)).toEqual(labels(fp32.stdout));
  });

  it("--json prints the report; --per-channel and --mode are passed on", async () => {
    const dir = copyOf("bert-seq-cls");
    const run = await proj(["quantize", dir, "--json", "--per-channel", "--mode", "fused"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      mode: string;
      perChannel: boolean;
      files: Array<{ quantized: unknown[]; bytesAfter: number }>;
    };
    expect(report.mode).toBe("fused");
    expect(report.perChannel).toBe(true);
    expect(report.files).toHaveLength(1);
    expect(report.files[0]?.quantized.length).toBeGreaterThan(0);
  });

  it("refuses to overwrite without --overwrite (exit 1, says what to do), replaces with it", async () => {
    const dir = copyOf("bert-seq-cls");
    expect((await proj(["quantize", dir, "-q"])).code).toBe(0);
    const again = await proj(["quantize", dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/model_quantized\.onnx exist/);
    expect(again.stderr).toContain("--overwrite");
    expect((await proj(["quantize", dir, "--overwrite"])).code).toBe(0);
  });

  it("a folder without ONNX files exits 1; no folder or a bad --mode exits 2", async () => {
    const missing = await proj(["quantize", join(tmpdir(), "no-such-model-folder")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("has no onnx/ folder");
    expect((await proj(["quantize"])).code).toBe(2);
    const badMode = await proj(["quantize", copyOf("bert-seq-cls"), "--mode", "int4"]);
    expect(badMode.code).toBe(2);
    expect(badMode.stderr).toContain("fused");
  });

  it("is listed in proj --help, with its own help", async () => {
    expect((await proj(["--help"])).stdout).toContain("  quantize ");
    const help = await proj(["quantize", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--per-channel");
  });
});
