/**
 * The header rule, one for every engine: when neither the stagecount spec nor the config sets
 * headerLines, the first record is a header exactly when every field of it is non-empty and
 * none looks like a value: a number, a date or timestamp, or a time. A data record almost
 * always holds one of those (or an empty field); a header almost never does. It looks at the
 * first record only, so the same file always counts the same.
 */

const VALUE_SHAPES = [
  /^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$/, // numbers: 12, -3.5, 1,5, .5, 1e6
  /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T].*)?$/, // dates and timestamps: 2024-01-31, 31/01/2024 10:00
  /^\d{1,2}:\d{2}(:\d{2}([.,]\d+)?)?$/, // times: 10:30, 10:30:00.5
];

export function looksLikeValue(field: string): boolean {
  const text = field.trim();
  return text === "" || VALUE_SHAPES.some((shape) => shape.test(text));
}

/** Splits one record into fields: `"` quotes, `""` inside quotes is one quote. */
export function splitRecord(record: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const c = record[i]!;
    if (quoted) {
      if (c === '"' && record[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/** 1 when the first record (decoded, without its line ending) is a header by the rule above, else 0. */
export function inferHeaderLines(firstRecord: string | null, delimiter: string): 0 | 1 {
  if (firstRecord === null) return 0;
  return splitRecord(firstRecord, delimiter).some(looksLikeValue) ? 0 : 1;
}
