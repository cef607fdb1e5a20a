// readFile with each encoding over awkward bytes: invalid and truncated UTF-8 (how many U+FFFD),
// ascii/latin1/binary of high bytes, utf16le (and ucs2) of an odd length, base64 and base64url
// padding, hex; and a read stream with utf8 that ends in the middle of a character.
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const d = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
const f = d + '/b';
const bytes = Buffer.from([0x61, 0xff, 0x62, 0xe2, 0x82, 0x63, 0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0xc0, 0xaf, 0xfe, 0xf4, 0x90, 0x80, 0x80, 0x64, 0xe2]);
fs.writeFileSync(f, bytes);
const code = (s) => Array.from(s).map((ch) => ch.codePointAt(0).toString(16)).join(' ');
const encs = ['utf8', 'ascii', 'latin1', 'binary', 'utf16le', 'ucs2', 'base64', 'base64url', 'hex'];
let i = 0;
(function next() {
  if (i === encs.length) {
    const rs = fs.createReadStream(f, { encoding: 'utf8', highWaterMark: 4 });
    const parts = [];
    rs.on('data', (c) => parts.push(code(c)));
    rs.on('end', () => {
      log('stream utf8 hwm 4: ' + parts.join(' | '));
      fs.rmSync(d, { recursive: true });
    });
    return;
  }
  const enc = encs[i++];
  fs.readFile(f, enc, (err, s) => {
    log(enc + ' (' + s.length + '): ' + (['base64', 'base64url', 'hex'].includes(enc) ? s : code(s)));
    next();
  });
})();
