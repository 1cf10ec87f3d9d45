// xlsx-read.mjs — just enough OOXML reading for the export tests: the zip
// entries (node:zlib), the cells of a sheet and the number format of a cell's
// style, so a test can tell a real Excel date (a number with a date format)
// from a date written as text.
import assert from 'node:assert/strict';
import zlib from 'node:zlib';

// {name → Buffer} of the entries (stored or deflated), from the central directory.
export function unzip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  assert.ok(eocd >= 0, 'zip: no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = {};
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'zip: central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20);
    const nlen = buf.readUInt16LE(p + 28), elen = buf.readUInt16LE(p + 30), clen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8');
    assert.equal(buf.readUInt32LE(local), 0x04034b50, 'zip: local header');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + csize);
    out[name] = method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data);
    p += 46 + nlen + elen + clen;
  }
  return out;
}

const unxml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

// The cells of xl/worksheets/sheetN.xml: Map "B4" → {type, style, value}
// (type: 'n' number, 's' shared string, 'inlineStr', 'str'…; value: the raw
// <v> or the inline text; shared strings resolved to their text).
export function cells(files, n = 1) {
  const sheet = files[`xl/worksheets/sheet${n}.xml`].toString('utf8');
  const shared = [];
  const sst = files['xl/sharedStrings.xml'];
  if (sst) for (const m of sst.toString('utf8').matchAll(/<si>([\s\S]*?)<\/si>/g))
    shared.push(unxml([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')));
  const out = new Map();
  for (const m of sheet.matchAll(/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
    const attrs = m[2], body = m[3] || '';
    const type = (attrs.match(/ t="([^"]+)"/) || [])[1] || 'n';
    const style = Number((attrs.match(/ s="(\d+)"/) || [])[1] || 0);
    const v = (body.match(/<v>([\s\S]*?)<\/v>/) || [])[1];
    const inline = (body.match(/<t[^>]*>([\s\S]*?)<\/t>/) || [])[1];
    const value = type === 's' ? shared[Number(v)] : type === 'inlineStr' ? unxml(inline ?? '') : v === undefined ? null : unxml(v);
    out.set(m[1], { type, style, value });
  }
  return out;
}

// The number format code of a cell style index (custom formats only; a
// built-in id gives `builtin:<id>`).
export function numFmt(files, style) {
  const xml = files['xl/styles.xml'].toString('utf8');
  const codes = new Map([...xml.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/g)].map((m) => [m[1], unxml(m[2])]));
  const xfs = (xml.match(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/) || [])[1] || '';
  const xf = [...xfs.matchAll(/<xf ([^>]*?)\/?>/g)][style];
  assert.ok(xf, `style ${style} not in cellXfs`);
  const id = (xf[1].match(/numFmtId="(\d+)"/) || [])[1] || '0';
  return codes.get(id) ?? `builtin:${id}`;
}

// An Excel serial (days since 1899-12-30, local wall time) → "YYYY-MM-DD HH:MM".
export function serialText(v) {
  const ms = Math.floor(Math.round(Number(v) * 86400) / 60) * 60000;
  return new Date(Date.UTC(1899, 11, 30) + ms).toISOString().slice(0, 16).replace('T', ' ');
}

// An RFC 3339 time → "YYYY-MM-DD HH:MM" in China time (+08:00).
export const chinaText = (iso) => new Date(Date.parse(iso) + 8 * 3600000).toISOString().slice(0, 16).replace('T', ' ');

// Asserts that a cell is a real Excel date showing `format`, equal to `text`.
export function assertDateCell(files, c, ref, format, text) {
  const x = c.get(ref);
  assert.ok(x, `${ref} missing`);
  assert.equal(x.type, 'n', `${ref} is a number, not text (${JSON.stringify(x)})`);
  assert.equal(numFmt(files, x.style), format, `${ref} number format`);
  assert.equal(format.includes('hh') ? serialText(x.value) : serialText(x.value).slice(0, 10), text, `${ref} value`);
}
