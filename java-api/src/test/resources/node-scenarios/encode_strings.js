// Strings turned into bytes: UTF-8 of lone surrogates (EF BF BD each, as V8), and a pushed
// string with an encoding: latin1/ascii of characters above 0xFF (low byte kept), hex with an
// odd length or a bad digit (stops there), base64 with whitespace, missing padding and junk.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Readable } = require('stream');
const log = (s) => console.log(s);
const d = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
fs.writeFile(d + '/s', 'a\ud800b\udc00c\ud83d\ude00', (err) => {
  log('writeFile lone surrogates: ' + fs.readFileSync(d + '/s').toString('hex'));
  fs.rmSync(d, { recursive: true });
  const cases = [
    ['latin1', 'a\u0100\u20ac\u00ff'],
    ['ascii', 'a\u0100\u20ac\u00ff'],
    ['hex', 'abc'],
    ['hex', '12zz34'],
    ['hex', 'ABcd'],
    ['base64', 'aGVs bG8='],
    ['base64', 'aGVsbG8'],
    ['base64', 'aGV*sbG8=='],
    ['base64url', 'aGVsbG8_-w'],
    ['utf8', 'x\udbff'],
  ];
  for (const [enc, str] of cases) {
    const r = new Readable({ read() {} });
    r.push(str, enc);
    r.push(null);
    const chunk = r.read();
    log(enc + ' ' + JSON.stringify(str) + ' -> ' + (chunk === null ? 'null' : chunk.toString('hex')));
  }
});
