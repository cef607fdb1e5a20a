// setEncoding and the encoding option: a UTF-8 file read with highWaterMark 1..5 splits its
// multi-byte characters across chunks, and 'data' still delivers whole characters (Node's
// StringDecoder); other encodings carry their partial units (utf16le surrogate pairs, base64
// groups of three) and flush them at 'end'; an incomplete UTF-8 tail ends as U+FFFD.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Readable } = require('stream');

const file = path.join(os.tmpdir(), 'uv4j-set-encoding-' + process.pid + '.txt');
const text = 'aé€𝄞z ½ ünï';
fs.writeFileSync(file, text);
let hwm = 1;
function next() {
  if (hwm > 5) {
    fs.unlinkSync(file);
    others();
    return;
  }
  const chunks = [];
  const s = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: hwm });
  s.on('data', (c) => chunks.push(c));
  s.on('end', () => {
    console.log('hwm ' + hwm + ' ' + typeof chunks[0] + ' ' + s.readableEncoding + ' ' + JSON.stringify(chunks) +
        ' whole ' + (chunks.join('') === text));
    hwm++;
    next();
  });
}
next();

const parts = [[0x61], [0xe2, 0x82], [0xac, 0x3d, 0xd8], [0x34, 0xdd], [0x7a]];

function others() {
  for (const enc of ['hex', 'base64', 'utf16le', 'latin1', 'utf8']) {
    const r = new Readable({ read() {} });
    r.setEncoding(enc);
    const out = [];
    r.on('data', (c) => out.push(c));
    r.on('end', () => console.log(enc + ' ' + JSON.stringify(out)));
    for (const b of parts) {
      r.push(Buffer.from(b));
    }
    r.push(null);
  }
  // Bytes buffered before setEncoding are decoded by it; the tail stays for the next chunk.
  const late = new Readable({ read() {} });
  late.push(Buffer.from([0x68, 0x69, 0xf0, 0x9d]));
  console.log('buffered bytes ' + late.readableLength);
  late.setEncoding('utf8');
  console.log('after setEncoding ' + late.readableLength + ' ' + late.readableEncoding);
  late.push(Buffer.from([0x84, 0x9e, 0x21]));
  late.push(Buffer.from([0xe2, 0x82]));
  late.push(null);
  late.on('readable', () => {
    let s;
    while ((s = late.read(2)) !== null) {
      console.log('read(2) ' + JSON.stringify(s));
    }
  });
  late.on('end', () => console.log('late end'));
  // A string pushed in the stream's own encoding stays a string.
  const own = new Readable({ encoding: 'hex', read() {} });
  own.on('data', (c) => console.log('own ' + JSON.stringify(c)));
  own.push('cafe', 'hex');
  own.push('hi');
  own.push(null);
}
