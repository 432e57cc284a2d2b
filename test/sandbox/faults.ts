// The queue of scripted faults: the first one matching a request handles it, until used up.

import { STATUS_CODES } from "node:http";
import type { Fault } from "./types.ts";

export class FaultQueue {
  readonly #queue: { fault: Fault; left: number }[] = [];

  push(fault: Fault): void {
    this.#queue.push({ fault, left: fault.times ?? 1 });
  }

  take(method: string, path: string): Fault | undefined {
    const index = this.#queue.findIndex(({ fault }) => matches(fault, method, path));
    const entry = this.#queue[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) this.#queue.splice(index, 1);
    return entry.fault;
  }
}

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method !== "*" && fault.method.toUpperCase() !== method) return false;
  if (fault.path.endsWith("*")) return path.startsWith(fault.path.slice(0, -1));
  return fault.path === path;
}

/** A gateway error page, as a load balancer in front of the API would serve it. */
export function htmlFault(method: string, path: string, status = 502, times?: number): Fault {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  const page = `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center></body></html>\n`;
  return {
    method,
    path,
    kind: "status",
    status,
    body: page,
    contentType: "text/html",
    ...(times === undefined ? {} : { times }),
  };
}
