/** Where the CLI writes, and what it knows of its environment; injected so tests can run it in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stderrIsTty: boolean;
  readonly now?: () => Date;
}

export const EXIT = { ok: 0, failing: 1, incomplete: 2, usage: 64, internal: 70 } as const;
