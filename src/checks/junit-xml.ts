/**
 * The few facts phasegate needs from a JUnit XML report: which tests ran and which failed. A small
 * tolerant scanner, not an XML library: reports come from many tools (pytest, jest-junit, surefire,
 * go-junit-report) that agree only on `<testcase classname=… name=…>` with a `<failure>` or
 * `<error>` child when it did not pass. A skipped test counts as run and not failing.
 */
export interface JUnitResult {
  /** Test ids ("classname.name", or "name" without a classname), sorted, without duplicates. */
  tests: string[];
  failing: string[];
}

const TESTCASE = /<testcase\b([^>]*?)(\/>|>([\s\S]*?)<\/testcase\s*>)/g;
const ATTRIBUTE = /([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

export function parseJUnit(xml: string): JUnitResult {
  const tests = new Set<string>();
  const failing = new Set<string>();
  // Comments and CDATA (captured output) may contain anything, including "<testcase".
  const text = xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '');
  for (const match of text.matchAll(TESTCASE)) {
    const attributes = attributesOf(match[1]);
    if (attributes.name === undefined) continue;
    const id = attributes.classname ? `${attributes.classname}.${attributes.name}` : attributes.name;
    tests.add(id);
    if (match[3] !== undefined && /<(failure|error)\b/.test(match[3])) failing.add(id);
  }
  return { tests: [...tests].sort(), failing: [...failing].sort() };
}

function attributesOf(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(ATTRIBUTE)) attributes[match[1]] = unescapeXml(match[3] ?? match[4] ?? '');
  return attributes;
}

function unescapeXml(value: string): string {
  return value.replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    if (entity === 'lt') return '<';
    if (entity === 'gt') return '>';
    if (entity === 'quot') return '"';
    if (entity === 'apos') return "'";
    if (entity === 'amp') return '&';
    return String.fromCodePoint(entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
  });
}
