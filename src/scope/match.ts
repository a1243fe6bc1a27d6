/**
 * A line that a regex or a structural pattern matched. Its own file, low in the house, because
 * checks report it and the structural scanner produces it: neither may import the other for it.
 */
export interface Match {
  file: string;
  line: number;
  text: string;
  /** Not on the tree the phase started from: the phase's transform brought it. */
  added?: boolean;
}

/** Every line a check's scan matched, and the files it could not read as UTF-8 text. */
export interface MatchScan {
  matches: Match[];
  /** Binary files (NUL bytes) that might hold a match: never matched, listed in the report. */
  binary: string[];
  /** Files that are not UTF-8, matched as Latin-1. */
  latin1: string[];
}
