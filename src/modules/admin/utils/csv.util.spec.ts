import { csvCell, toCsv } from './csv.util';

describe('CSV', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('neutralises spreadsheet formulas but keeps negative numbers', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-500)).toBe('-500');
  });

  it('writes empty cells for null/undefined and ISO dates', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(new Date('2025-01-02T03:04:05.000Z'))).toBe('2025-01-02T03:04:05.000Z');
  });

  it('builds a table with a header row and CRLF line ends', () => {
    expect(toCsv(['kind', 'amount'], [{ kind: 'amount_differs', amount: 100 }, { kind: 'x,y' }])).toBe(
      'kind,amount\r\namount_differs,100\r\n"x,y",\r\n',
    );
  });
});
