export type Cell = string | number | boolean | null | undefined;

/**
 * CSV for spreadsheets (Excel opens it as UTF-8 thanks to the BOM). A cell starting with
 * = + - @ would run as a formula: it is prefixed with an apostrophe and stays text.
 */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  const cell = (v: Cell) => {
    const s = String(v ?? '');
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return `"${safe.replaceAll('"', '""')}"`;
  };
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
