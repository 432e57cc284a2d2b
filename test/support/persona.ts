import type { Persona } from "../../src/creatify/persona.ts";

/** James's avatar in `process_status`, active once done, as a read answers it. */
export function persona(process_status: string, extra: Partial<Persona> = {}): Persona {
  return {
    id: "3f1c2b9e-0000-4000-8000-000000000001",
    creator_name: "James",
    process_status,
    is_active: process_status === "done",
    failed_reason: null,
    ...extra,
  };
}
