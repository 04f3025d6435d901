/** JSON for machines: stable two-space indentation, one document per command. */
export function renderJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
