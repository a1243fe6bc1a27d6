import { describe, expect, it } from 'vitest';
import { parseJUnit } from '../src/checks/junit-xml.js';

describe('parseJUnit', () => {
  it('reads passing, failing, erroring and skipped test cases from the shapes common runners write', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <!-- <testcase classname="commented" name="out"><failure/></testcase> -->
  <testsuite name="a">
    <testcase classname="pkg.A" name="passes" time="0.1"/>
    <testcase classname='pkg.A' name='fails'><failure message="x">assert 1 == 2</failure></testcase>
    <testcase classname="pkg.B" name="errors &amp; more" time="0"><error type="E"/></testcase>
    <testcase name="skipped"><skipped/></testcase>
    <testcase classname="pkg.C" name="prints"><system-out><![CDATA[<testcase name="fake"><failure/></testcase>]]></system-out></testcase>
  </testsuite>
</testsuites>`;
    expect(parseJUnit(xml)).toEqual({
      tests: ['pkg.A.fails', 'pkg.A.passes', 'pkg.B.errors & more', 'pkg.C.prints', 'skipped'],
      failing: ['pkg.A.fails', 'pkg.B.errors & more'],
    });
  });

  it('finds nothing in text that is not JUnit', () => {
    expect(parseJUnit('not xml at all')).toEqual({ tests: [], failing: [] });
  });
});
