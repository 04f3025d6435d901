import pc from "picocolors";

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colours on a terminal, or wherever FORCE_COLOR asks for them (1, 2, 3, true or empty: CI logs
 * that render ANSI); never with --no-color, NO_COLOR set (non-empty) or FORCE_COLOR=0/false.
 */
export function colorsFor(stream: NodeJS.WriteStream, wanted: boolean, env: NodeJS.ProcessEnv): Colors {
  return pc.createColors(wanted && colourWanted(stream.isTTY === true, env));
}

/** The colour decision without --no-color: NO_COLOR wins, then FORCE_COLOR, then whether it is a terminal. */
export function colourWanted(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== "0" && force.toLowerCase() !== "false";
  return isTTY;
}
