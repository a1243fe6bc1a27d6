/**
 * A line that a regex or a structural pattern matched. Its own file, low in the house, because
 * checks report it and the structural scanner produces it: neither may import the other for it.
 */
export interface Match {
  file: string;
  line: number;
  text: string;
}
