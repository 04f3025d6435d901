import pc from "picocolors";

export type Colors = ReturnType<typeof pc.createColors>;

/** Colours only on a terminal, never with NO_COLOR set or --no-color given. */
export function colorsFor(stream: NodeJS.WriteStream, wanted: boolean, env: NodeJS.ProcessEnv): Colors {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return pc.createColors(wanted && !noColor && stream.isTTY === true);
}
