/** The few log calls the modules make; `@actions/core` fits it, and tests pass a recorder. */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
}
