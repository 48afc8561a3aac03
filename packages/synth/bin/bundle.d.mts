/** esbuild's duplicate-key warnings for sources under `clusters/` and `apps/`, one entry per repeated key of one object literal. */
export function duplicateKeys(
  warnings: readonly { text: string; location: { file: string; line: number } | null; notes: readonly { location: { line: number } | null }[] }[],
): { file: string; key: string; lines: number[] }[];
