// run_instance.log: a small append-only log per instance, flushed line by line so a crash
// still leaves what happened up to that point.
import { appendFileSync } from "node:fs";

export class InstanceLog {
  constructor(private readonly path: string) {}

  write(level: "info" | "error", message: string): void {
    appendFileSync(this.path, `${new Date().toISOString()} - ${level.toUpperCase()} - ${message}\n`);
  }

  info(message: string): void {
    this.write("info", message);
  }
  error(message: string): void {
    this.write("error", message);
  }
}
