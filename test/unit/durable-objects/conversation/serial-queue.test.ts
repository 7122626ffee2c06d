import { describe, expect, it } from "vitest";
import { SerialQueue } from "../../../../durable-objects/conversation/serial-queue.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe("SerialQueue", () => {
  it("runs tasks one at a time in the order given, even when an earlier one awaits longer", async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task = (name: string, ticks: number) => async () => {
      log.push(`${name} start`);
      for (let i = 0; i < ticks; i++) await tick();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([queue.run(task("a", 3)), queue.run(task("b", 0)), queue.run(task("c", 1))]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(log).toEqual(["a start", "a end", "b start", "b end", "c start", "c end"]);
  });

  it("passes a task's failure to its caller and goes on with the next", async () => {
    const queue = new SerialQueue();
    const failed = queue.run(async () => {
      throw new Error("webhook down");
    });
    const next = queue.run(async () => "answered");
    await expect(failed).rejects.toThrow("webhook down");
    await expect(next).resolves.toBe("answered");
  });
});
