// createReadStream ranges: start only, end only, start=end, a range past EOF, an empty file,
// highWaterMark 1 with an encoding splitting a multi-byte character; 'open'/'ready'/'data'/
// 'end'/'close' and bytesRead; each stream starts when the previous one closed.
const fs = require('fs');
const os = require('os');
const path = require('path');
const log = (s) => console.log(s);
const d = fs.mkdtempSync(path.join(os.tmpdir(), 'uv4j-'));
fs.writeFileSync(d + '/f', '0123456789');
fs.writeFileSync(d + '/e', '');
fs.writeFileSync(d + '/u', 'a\u00e9\u20acz');
const cases = [
  ['start 7', d + '/f', { start: 7 }],
  ['end 2', d + '/f', { end: 2 }],
  ['start=end 4', d + '/f', { start: 4, end: 4, highWaterMark: 2 }],
  ['past EOF', d + '/f', { start: 8, end: 100, highWaterMark: 4 }],
  ['start past EOF', d + '/f', { start: 20 }],
  ['empty', d + '/e', {}],
  ['utf8 hwm 1', d + '/u', { highWaterMark: 1, encoding: 'utf8' }],
  ['hex hwm 3', d + '/u', { highWaterMark: 3, encoding: 'hex' }],
];
function run(i) {
  if (i === cases.length) {
    fs.rmSync(d, { recursive: true });
    log('done');
    return;
  }
  const [label, file, opts] = cases[i];
  const rs = fs.createReadStream(file, opts);
  const chunks = [];
  rs.on('open', () => log(label + ': open, pending ' + rs.pending));
  rs.on('ready', () => log(label + ': ready'));
  rs.on('data', (c) => chunks.push(typeof c === 'string' ? JSON.stringify(c) : '[' + c + ']'));
  rs.on('end', () => log(label + ': end ' + chunks.join(' ')));
  rs.on('close', () => {
    log(label + ': close bytesRead ' + rs.bytesRead);
    run(i + 1);
  });
  log(label + ': created, pending ' + rs.pending);
}
run(0);
